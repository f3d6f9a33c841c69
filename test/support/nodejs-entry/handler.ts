/** A handler bundled by esbuild in the tests (NodejsFunction with an entry). */
export async function handler(event: { name?: string }): Promise<{ statusCode: number; body: string }> {
  return { statusCode: 200, body: JSON.stringify({ hello: event.name ?? 'world' }) };
}

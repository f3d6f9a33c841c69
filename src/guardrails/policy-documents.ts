import { GuardrailStatement } from './guardrail-statements';

/** The largest service control policy AWS Organizations accepts, in characters. */
export const SCP_MAX_CHARACTERS = 5120;

/**
 * How many service control policies may be attached to one target: five, one
 * of which is usually FullAWSAccess.
 */
export const SCP_MAX_DOCUMENTS = 4;

/**
 * The statements packed, in order, into as few policy documents as fit within
 * the size limit (minified JSON, as Organizations counts it).
 */
export function policyDocuments(statements: readonly GuardrailStatement[]): string[] {
  const documents: string[][] = [];
  let current: string[] = [];
  for (const { sid, statement } of statements) {
    const json = JSON.stringify(statement);
    if (render([json]).length > SCP_MAX_CHARACTERS) {
      throw new Error(`guardrail statement ${sid} alone is ${render([json]).length} characters, over the ${SCP_MAX_CHARACTERS} of a service control policy: approve fewer values (a list of ids grows it)`);
    }
    if (current.length > 0 && render([...current, json]).length > SCP_MAX_CHARACTERS) {
      documents.push(current);
      current = [];
    }
    current.push(json);
  }
  if (current.length > 0) {
    documents.push(current);
  }
  return documents.map(render);
}

function render(statements: string[]): string {
  return `{"Version":"2012-10-17","Statement":[${statements.join(',')}]}`;
}

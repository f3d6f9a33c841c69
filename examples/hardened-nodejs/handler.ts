// GET /orders/{id} behind an IAM-authorized REST API (Lambda proxy integration),
// bundled by NodejsFunction with esbuild. The Node.js runtime provides the AWS
// SDK v3: esbuild leaves @aws-sdk/* out of the bundle.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const dynamodb = new DynamoDBClient({});

function respond(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** The order named by the path, read from the table named by TABLE_NAME. */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) {
    throw new Error('Missing configuration: TABLE_NAME');
  }
  const id = event.pathParameters?.id;
  if (!id) {
    return respond(400, { message: 'missing order id' });
  }
  const { Item } = await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: id } }, ConsistentRead: true }));
  if (!Item) {
    return respond(404, { message: `order ${id} not found` });
  }
  return respond(200, { id, status: Item.status?.S, total: Item.total?.N === undefined ? undefined : Number(Item.total.N) });
}

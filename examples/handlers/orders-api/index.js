'use strict';

// GET and PUT /orders/{id} behind an IAM-authorized REST API (Lambda proxy
// integration). The table is named by TABLE_NAME; the AWS SDK v3 clients come
// with the Node.js 24 runtime.
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, GetCommand, PutCommand } = require('@aws-sdk/lib-dynamodb');

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

function respond(statusCode, body) {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

async function getOrder(tableName, id) {
  const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { pk: id } }));
  return Item ? respond(200, Item) : respond(404, { message: `order ${id} not found` });
}

async function putOrder(tableName, id, rawBody) {
  let order;
  try {
    order = JSON.parse(rawBody || '');
  } catch {
    return respond(400, { message: 'body must be JSON' });
  }
  if (typeof order !== 'object' || order === null || Array.isArray(order)) {
    return respond(400, { message: 'body must be a JSON object' });
  }
  const item = { ...order, pk: id, updatedAt: new Date().toISOString() };
  await documents.send(new PutCommand({ TableName: tableName, Item: item }));
  return respond(200, item);
}

exports.handler = async (event) => {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) {
    throw new Error('Missing configuration: TABLE_NAME');
  }
  const id = event.pathParameters && event.pathParameters.id;
  if (!id) {
    return respond(400, { message: 'missing order id' });
  }
  switch (event.httpMethod) {
    case 'GET':
      return getOrder(tableName, id);
    case 'PUT':
      return putOrder(tableName, id, event.isBase64Encoded ? Buffer.from(event.body || '', 'base64').toString('utf8') : event.body);
    default:
      return respond(405, { message: `method ${event.httpMethod} not allowed` });
  }
};

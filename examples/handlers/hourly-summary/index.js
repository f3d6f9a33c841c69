'use strict';

// Hourly job behind an EventBridge Scheduler schedule: writes one summary item
// per hour to the table named by TABLE_NAME. The AWS SDK v3 clients come with
// the Node.js 24 runtime; nothing to install.
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, PutCommand } = require('@aws-sdk/lib-dynamodb');

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

exports.handler = async (event) => {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) {
    throw new Error('Missing configuration: TABLE_NAME');
  }
  const now = new Date();
  const hour = now.toISOString().slice(0, 13); // 2025-01-31T14
  const item = {
    pk: `summary#${hour}`,
    generatedAt: now.toISOString(),
    scheduledFor: (event && event.scheduledTime) || now.toISOString(),
    status: 'complete',
  };
  // One item per hour: a retried delivery of the same hour does not overwrite the first run.
  try {
    await documents.send(new PutCommand({
      TableName: tableName,
      Item: item,
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  } catch (error) {
    if (error.name !== 'ConditionalCheckFailedException') {
      throw error;
    }
    console.log(JSON.stringify({ message: 'summary already written', pk: item.pk }));
    return { status: 'duplicate', pk: item.pk };
  }
  console.log(JSON.stringify({ message: 'summary written', pk: item.pk }));
  return { status: 'ok', pk: item.pk };
};

'use strict';

// Consumes S3 "Object Created" events that EventBridge delivered to an SQS
// queue: reads each uploaded object and writes a small result next to it,
// under RESULT_PREFIX. Failed records are reported one by one
// (reportBatchItemFailures), so only they are received again.
// The AWS SDK v3 clients come with the Node.js 24 runtime.
const { createHash } = require('crypto');
const { GetObjectCommand, PutObjectCommand, S3Client } = require('@aws-sdk/client-s3');

const s3 = new S3Client({});

async function process(record, uploadPrefix, resultPrefix) {
  const event = JSON.parse(record.body);
  const bucket = event.detail.bucket.name;
  const key = event.detail.object.key;
  if (!key.startsWith(uploadPrefix) || key.startsWith(resultPrefix)) {
    return; // the rule only delivers uploads; never process our own results
  }
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const content = Buffer.from(await object.Body.transformToByteArray());
  const result = {
    source: key,
    versionId: object.VersionId,
    bytes: content.length,
    lines: content.toString('utf8').split('\n').length,
    sha256: createHash('sha256').update(content).digest('hex'),
    processedAt: new Date().toISOString(),
  };
  await s3.send(new PutObjectCommand({
    Bucket: bucket,
    Key: `${resultPrefix}${key}.json`,
    Body: JSON.stringify(result),
    ContentType: 'application/json',
  }));
}

exports.handler = async (event) => {
  const resultPrefix = process.env.RESULT_PREFIX;
  const uploadPrefix = process.env.UPLOAD_PREFIX;
  if (!resultPrefix || !uploadPrefix) {
    throw new Error('Missing configuration: RESULT_PREFIX, UPLOAD_PREFIX');
  }
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      await process(record, uploadPrefix, resultPrefix);
    } catch (error) {
      console.error(JSON.stringify({ message: 'record failed', messageId: record.messageId, error: error.message }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};

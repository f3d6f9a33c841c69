'use strict';

// Example handler for the 'Orders' SecureFunction. It has no dependencies and
// holds no secrets: DB_SECRET_ARN carries the ARN of the Secrets Manager secret
// and FEATURE_FLAGS_PARAMETER the name of the SSM parameter, never their values.
// A real handler would fetch them with the AWS SDK through the VPC endpoints.

exports.handler = async (event) => {
  const config = {
    tableName: process.env.TABLE_NAME,
    dbSecretArn: process.env.DB_SECRET_ARN,
    featureFlagsParameter: process.env.FEATURE_FLAGS_PARAMETER,
  };
  const missing = Object.keys(config).filter((key) => !config[key]);
  if (missing.length > 0) {
    throw new Error(`Missing configuration: ${missing.join(', ')}`);
  }
  if (process.env.LOG_LEVEL === 'DEBUG') {
    console.log(JSON.stringify({ message: 'event received', source: event && event.source }));
  }
  return {
    status: 'ok',
    table: config.tableName,
    processedAt: new Date().toISOString(),
  };
};

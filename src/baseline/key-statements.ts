import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * What Lambda needs in a key policy to encrypt a function's .zip package with
 * the key (`Code.SourceKMSKeyArn`): GenerateDataKey and Decrypt, for functions of
 * this account and region only (the encryption context names the function).
 * A function's own ARN cannot be used: the function depends on the key.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/encrypt-zip-package.html
 */
export function lambdaCodePackageStatement(stack: Stack): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'LambdaCodePackagesOfThisAccount',
    principals: [new iam.ServicePrincipal('lambda.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
    conditions: {
      StringLike: {
        'kms:EncryptionContext:aws:lambda:FunctionArn': `arn:${stack.partition}:lambda:${stack.region}:${stack.account}:function:*`,
      },
    },
  });
}

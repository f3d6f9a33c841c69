import { CfnParameter, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { snapStartCmk } from '../../../src/rules/lambda/lambda-snapstart-cmk';
import { cfnFunction } from '../../support/rule-fixtures';
import { ruleTable } from '../../support/rule-table';

const PROBLEM = 'SnapStart is on (PublishedVersions) and the function has no KmsKeyArn: its snapshots are encrypted with an AWS-owned key';
const java = { runtime: 'java21', handler: 'example.Handler::handleRequest', code: { s3Bucket: 'code-bucket', s3Key: 'app.zip' } };
/** A Java L1 with SnapStart `applyOn` and the version SnapStart snapshots. */
const snapL1 = (stack: import('aws-cdk-lib').Stack, applyOn: string) => {
  const fn = cfnFunction(stack, { ...java, snapStart: { applyOn } }, 'Fn');
  new lambda.CfnVersion(stack, 'Version', { functionName: fn.ref });
  return fn;
};
const javaCode = (stack: import('aws-cdk-lib').Stack) => lambda.Code.fromBucketV2(s3.Bucket.fromBucketName(stack, 'Code', 'code-bucket'), 'app.zip');

ruleTable(snapStartCmk, [
  {
    name: 'compliant: no SnapStart',
    build: (stack) => ({ fn: cfnFunction(stack, {}, 'Fn'), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: SnapStart None',
    build: (stack) => ({ fn: snapL1(stack, 'None'), check: 'COMPLIANT' }),
  },
  {
    name: 'compliant: SnapStart on an L2 with a customer key',
    build: (stack) => {
      const fn = new lambda.Function(stack, 'L2', {
        runtime: lambda.Runtime.JAVA_21,
        handler: 'example.Handler::handleRequest',
        code: javaCode(stack),
        snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS,
        environmentEncryption: new kms.Key(stack, 'Key'),
      });
      fn.currentVersion;
      return { fn, check: 'COMPLIANT' };
    },
  },
  {
    name: 'non-compliant: SnapStart on an L2 without a key, on the function',
    build: (stack) => {
      const fn = new lambda.Function(stack, 'L2', {
        runtime: lambda.Runtime.JAVA_21, handler: 'example.Handler::handleRequest', code: javaCode(stack), snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS,
      });
      fn.currentVersion;
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
    guardPointsAt: (stack) => [stack.resolve((stack.node.findChild('L2').node.defaultChild as lambda.CfnFunction).logicalId)],
  },
  {
    name: 'unresolved: ApplyOn from a parameter is not judged',
    build: (stack) => ({ fn: snapL1(stack, new CfnParameter(stack, 'Snap').valueAsString), check: 'UNRESOLVED' }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const fn = snapL1(stack, 'PublishedVersions');
      Validations.of(fn).acknowledge({ id: snapStartCmk.id, reason: 'the code loads nothing but public configuration at start' });
      return { fn, check: [{ on: fn, problem: PROBLEM }] };
    },
    reported: false,
  },
]);

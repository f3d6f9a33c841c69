import { Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { microvmImageCmk } from '../../../src/rules/lambda/lambda-microvm-image-cmk';
import { microvmImage, parameterOrNone } from '../../support/lambda-resources';
import { ruleTable } from '../../support/rule-table';

const PROBLEM = 'image "image" has no KmsKeyIdentifier: it is encrypted with an AWS-owned key';

ruleTable(microvmImageCmk, [
  {
    name: 'compliant: a key of the stack',
    build: (stack) => ({ fn: microvmImage(stack, 'Image', { kmsKeyIdentifier: new kms.Key(stack, 'Key').keyArn }), check: 'COMPLIANT' }),
  },
  {
    name: 'non-compliant: no KmsKeyIdentifier, on the image',
    build: (stack) => ({ fn: microvmImage(stack, 'Image'), check: [{ on: 'Image', problem: PROBLEM }] }),
    guardPointsAt: () => ['Image'],
  },
  {
    name: 'unresolved: a key chosen by a condition may be none',
    build: (stack) => ({
      fn: microvmImage(stack, 'Image', { kmsKeyIdentifier: parameterOrNone(stack, 'Key') }),
      check: 'UNRESOLVED',
    }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const image = microvmImage(stack, 'Image');
      Validations.of(image).acknowledge({ id: microvmImageCmk.id, reason: 'a base image without code or data' });
      return { fn: image, check: [{ on: image, problem: PROBLEM }] };
    },
    reported: false,
  },
]);

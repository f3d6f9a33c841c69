import { CfnParameter, Fn, Validations } from 'aws-cdk-lib';
import { microvmImageCapabilities } from '../../../src/rules/lambda/lambda-microvm-image-capabilities';
import { microvmImage } from '../../support/lambda-resources';
import { ruleTable } from '../../support/rule-table';

ruleTable(microvmImageCapabilities, [
  {
    name: 'compliant: no additional capability',
    build: (stack) => ({ fn: microvmImage(stack, 'Image'), check: 'COMPLIANT' }),
  },
  {
    name: 'non-compliant: ALL, on the image',
    build: (stack) => ({ fn: microvmImage(stack, 'Image', { additionalOsCapabilities: ['ALL'] }), check: [{ on: 'Image', problem: 'AdditionalOsCapabilities adds ALL' }] }),
    guardPointsAt: () => ['Image'],
  },
  {
    name: 'unresolved: a list from a parameter is not judged',
    build: (stack) => ({ fn: microvmImage(stack, 'Image', { additionalOsCapabilities: Fn.split(',', new CfnParameter(stack, 'Caps').valueAsString) }), check: 'UNRESOLVED' }),
  },
  {
    name: 'acknowledged: the exception travels in Metadata.guard.SuppressedRules',
    build: (stack) => {
      const image = microvmImage(stack, 'Image', { additionalOsCapabilities: ['ALL'] });
      Validations.of(image).acknowledge({ id: microvmImageCapabilities.id, reason: 'a profiler image for one investigation' });
      return { fn: image, check: [{ on: image, problem: 'AdditionalOsCapabilities adds ALL' }] };
    },
    reported: false,
  },
]);

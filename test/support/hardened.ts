import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { LambdaHardening, LambdaHardeningProps } from '../../src';

/** A TypeScript handler that NodejsFunction bundles with esbuild. */
export const NODEJS_ENTRY = path.join(__dirname, 'nodejs-entry', 'handler.ts');

/** A NodejsFunction bundled locally by esbuild (never in Docker), as apps write it. */
export function nodejsFunction(scope: Construct, id: string, props: Partial<nodejs.NodejsFunctionProps> = {}): nodejs.NodejsFunction {
  return new nodejs.NodejsFunction(scope, id, {
    entry: NODEJS_ENTRY,
    runtime: lambda.Runtime.NODEJS_24_X,
    timeout: Duration.seconds(10),
    ...props,
    bundling: { forceDockerBundling: false, ...props.bundling },
  });
}

/** A NodejsFunction hardened by LambdaHardening in one line. */
export function hardenedNodejsFunction(scope: Construct, id: string, hardening: LambdaHardeningProps = {}): nodejs.NodejsFunction {
  const fn = nodejsFunction(scope, id);
  fn.with(new LambdaHardening(hardening));
  return fn;
}

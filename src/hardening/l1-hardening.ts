import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { applySignedCode, existingCodeSource } from './existing-code';
import { HardeningKit } from './hardening-kit';
import { HardeningOptions } from './hardening-options';
import { HardeningResult } from './l2-hardening';
import { applySizing, checkLogRetention } from './sizing';
import { eventDeliveryOf } from '../aspects/stack-aspects';
import { invalidInput } from '../cfn/errors';
import { checkRole, convertRole } from '../iam/role-conversion';
import { FunctionIntegrations } from '../integrations/function-integrations';
import { placeInVpc, selectPrivateSubnets } from '../network/placement';
import { SecureFunctionAuditReport } from '../report/secure-function-audit-report';
import { checkSigning, signFunctionCode } from '../signing/function-code';

/**
 * Hardens a CfnFunction of the app with the controls of a SecureFunction.
 * Its parts are created next to it, in `<id>Hardening`; its role must be an
 * iam.Role of the app, which becomes a role of this library in place (an L1
 * role's inline policies cannot be routed, an imported one not checked).
 */
export function hardenCfnFunction(cfn: lambda.CfnFunction, props: HardeningOptions): HardeningResult {
  const label = `LambdaHardening ${cfn.node.path}`;
  if (props.aliasName !== undefined) {
    throw invalidInput(`${label}: 'aliasName'`, 'needs a lambda.Function to publish versions of; a CfnFunction has no version of its own here', props.aliasName,
      'drop aliasName, or define the function with lambda.Function (or a construct built on it) and harden that');
  }
  const source = existingCodeSource(cfn);
  checkSigning(cfn, `${label}:`, source, props);
  checkLogRetention(cfn, props.logRetention);
  const role = checkRole(roleOf(cfn, label), label);
  if (cfn.vpcConfig !== undefined) {
    throw invalidInput(`${label}: 'VpcConfig'`, 'is set on the CfnFunction; LambdaHardening places it with its own security group, egress closed',
      'a VpcConfig', 'remove VpcConfig and pass vpc and vpcSubnets to LambdaHardening');
  }
  const host = new Construct(cfn.node.scope!, `${cfn.node.id}Hardening`);
  const kit = new HardeningKit(host, label, props);
  const converted = convertRole(role, {
    label, routing: kit.routing, permissionsBoundary: props.permissionsBoundary, sharedPolicies: [kit.baseline.runtimePolicy],
  });

  const subnets = selectPrivateSubnets(label, kit.vpc, props.vpcSubnets);
  const securityGroup = kit.newSecurityGroup(host);
  placeInVpc(cfn, kit.vpc, subnets, [securityGroup]);
  // As lambda.Function's resource does: the role and its policies exist before the function.
  cfn.node.addDependency(role);
  const handle = lambda.Function.fromFunctionAttributes(host, 'Function', {
    functionArn: cfn.attrArn,
    role,
    securityGroup,
    sameEnvironment: true,
  });

  const signed = signFunctionCode(host, `${label}:`, source, props, () => kit.baseline.codeSigning);
  applySignedCode(cfn, signed);
  const timeout = applySizing(cfn, props);
  kit.attach({
    function: handle,
    resource: cfn,
    role: converted,
    subnets,
    securityGroup,
    timeout,
    reservedConcurrentExecutions: cfn.reservedConcurrentExecutions as number,
  });
  eventDeliveryOf(cfn).watch(cfn.attrArn, kit.deadLetterQueue, kit.key);
  const observability = kit.observe(host, undefined, cfn);
  SecureFunctionAuditReport.of(host);
  return {
    hardened: {
      function: handle,
      encryptionKey: kit.key,
      logGroup: kit.logGroup,
      deadLetterQueue: kit.deadLetterQueue,
      securityGroup,
      vpc: kit.vpc,
      alarms: observability.alarms,
    },
    integrations: new FunctionIntegrations(kit, host),
    signLayers: () => undefined,
  };
}

/** The app's iam.Role the function's Role property names. */
function roleOf(cfn: lambda.CfnFunction, label: string): iam.Role {
  const stack = Stack.of(cfn);
  const wanted = JSON.stringify(stack.resolve(cfn.role));
  const role = stack.node.findAll().find((c): c is iam.Role => c instanceof iam.Role && JSON.stringify(stack.resolve(c.roleArn)) === wanted);
  if (!role) {
    throw invalidInput(`${label}: 'Role'`, 'must be the ARN of an iam.Role the app defines (an imported role cannot be checked; an L1 role\'s inline policies cannot be routed)',
      wanted, 'create the role with new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal(\'lambda.amazonaws.com\') }) and pass role.roleArn');
  }
  return role;
}

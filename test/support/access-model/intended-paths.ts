// What a deployed template means to do, read from its wiring rather than
// written per test: every alarm action, rule target, dead-letter queue,
// encrypted log group, code package key, grant to a role, invoke permission
// and signing step is a request that must be allowed; chosen look-alikes
// (another account, no TLS, another function's secret, a function outside the
// stack) must be denied. A new feature wired the same way is checked without a
// new test.
import { ResolvedTemplate } from './cfn-resolver';
import { grantPaths, rolesGranted } from './grant-paths';
import { integrationPaths, scheduleGroupArn } from './integration-paths';
import { ADMIN, deployer as deployerOf, Path } from './path-list';
import { ResourceIndex, serviceOf as service } from './resource-index';
import { asArray } from '../../../src/cfn/references';

export type { Path } from './path-list';
export { rolesGranted } from './grant-paths';

/** The account of principals that are not the stack's. */
export const OTHER_ACCOUNT = '999999999999';
const deployer = (d: ResolvedTemplate) => deployerOf(d.env);

/** Every access the template wires, each of which must be allowed. */
export function intendedPaths(d: ResolvedTemplate): Path[] {
  const index = new ResourceIndex(d);
  const { account, region, partition } = d.env;
  const paths: Path[] = [];
  type Context = Record<string, string>;
  // `outside`: a call Lambda makes with the function's role outside its execution environment (no lambda:SourceFunctionArn).
  const keyUse = (
    why: string, principal: string, key: string | undefined, actions: string[], context: Context = {}, outsideIdentity?: any[], outside = false,
  ) => {
    for (const action of key ? actions : []) {
      paths.push({ why, request: { principal, action, resource: key!, context, ...(outside ? { outsideEnvironment: true } : {}) }, outsideIdentity });
    }
  };

  for (const alarm of d.ofType('AWS::CloudWatch::Alarm')) {
    const alarmArn = d.getAtt(alarm.logicalId, 'Arn');
    const source = { 'aws:SourceAccount': account, 'aws:SourceArn': alarmArn };
    for (const target of [...asArray<string>(alarm.properties.AlarmActions), ...asArray<string>(alarm.properties.OKActions)]) {
      if (service(target) !== 'sns') continue;
      paths.push({ why: `CloudWatch alarm ${alarm.logicalId} publishes to its topic`, request: { principal: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resource: target, context: source } });
      keyUse(`CloudWatch encrypts for the topic of ${alarm.logicalId}`, 'cloudwatch.amazonaws.com', index.keyOf(index.find(target)),
        ['kms:GenerateDataKey', 'kms:Decrypt'], { ...source, 'kms:EncryptionContext:aws:sns:topicArn': target });
    }
  }

  for (const rule of d.ofType('AWS::Events::Rule')) {
    const ruleArn = d.getAtt(rule.logicalId, 'Arn');
    for (const target of asArray<any>(rule.properties.Targets)) {
      const kind = service(target.Arn);
      const action = { sns: 'sns:Publish', sqs: 'sqs:SendMessage', lambda: 'lambda:InvokeFunction' }[kind as 'sns'];
      if (action && !target.RoleArn) {
        paths.push({ why: `EventBridge rule ${rule.logicalId} delivers to ${kind}`, request: { principal: 'events.amazonaws.com', action, resource: target.Arn, context: { 'aws:SourceArn': ruleArn, 'aws:SourceAccount': account } } });
        // SNS documents no source keys on KMS requests EventBridge makes for an encrypted topic.
        keyUse(`EventBridge encrypts for the target of ${rule.logicalId}`, 'events.amazonaws.com', index.keyOf(index.find(target.Arn)),
          ['kms:GenerateDataKey', 'kms:Decrypt'], kind === 'sns' ? {} : { 'aws:SourceArn': ruleArn, 'aws:SourceAccount': account });
      }
      const dlq = target.DeadLetterConfig?.Arn;
      if (dlq) {
        paths.push({ why: `EventBridge rule ${rule.logicalId} dead-letters`, request: { principal: 'events.amazonaws.com', action: 'sqs:SendMessage', resource: dlq, context: { 'aws:SourceArn': ruleArn, 'aws:SourceAccount': account } } });
        keyUse(`EventBridge encrypts for the dead-letter queue of ${rule.logicalId}`, 'events.amazonaws.com', index.keyOf(index.find(dlq)),
          ['kms:GenerateDataKey', 'kms:Decrypt'], { 'aws:SourceArn': ruleArn, 'aws:SourceAccount': account });
      }
    }
  }

  for (const fn of d.ofType('AWS::Lambda::Function')) {
    const p = fn.properties;
    const role: string = p.Role;
    const fnArn = d.getAtt(fn.logicalId, 'Arn');
    const dlq = p.DeadLetterConfig?.TargetArn;
    if (dlq && service(dlq) === 'sqs') {
      paths.push({ why: `Lambda sends failed events of ${fn.logicalId} to its dead-letter queue`, request: { principal: role, action: 'sqs:SendMessage', resource: dlq, outsideEnvironment: true } });
      keyUse(`Lambda encrypts dead letters of ${fn.logicalId}`, role, index.keyOf(index.find(dlq)), ['kms:GenerateDataKey', 'kms:Decrypt'], { 'kms:ViaService': `sqs.${region}.amazonaws.com` }, undefined, true);
    }
    if (p.KmsKeyArn) {
      // Lambda decrypts the environment through a grant the deployer creates for the function.
      keyUse(`the deployer lets Lambda decrypt the environment of ${fn.logicalId}`, deployer(d), p.KmsKeyArn, ['kms:CreateGrant', 'kms:Encrypt'], {
        'kms:ViaService': `lambda.${region}.amazonaws.com`, 'kms:GrantIsForAWSResource': 'true',
      }, [ADMIN]);
      keyUse(`${fn.logicalId} decrypts its environment`, role, p.KmsKeyArn, ['kms:Decrypt'], { 'kms:ViaService': `lambda.${region}.amazonaws.com` }, undefined, true);
    }
    const codeKey = p.Code?.SourceKMSKeyArn;
    keyUse(`Lambda encrypts and reads the code package of ${fn.logicalId}`, 'lambda.amazonaws.com', codeKey, ['kms:GenerateDataKey', 'kms:Decrypt'], { 'kms:EncryptionContext:aws:lambda:FunctionArn': fnArn });
    const durableKey = p.DurableConfig?.KMSKeyArn;
    if (p.DurableConfig) {
      // The durable execution SDK checkpoints with the function's credentials, on an execution of a version.
      const execution = `${fnArn}:3/durable-execution/order-42/0f1e2d3c`;
      for (const action of ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState']) {
        paths.push({ why: `${fn.logicalId} checkpoints its durable execution`, request: { principal: role, action, resource: execution } });
      }
      // Lambda encrypts the state with the role, behind the checkpoint API: not taken to carry lambda:SourceFunctionArn.
      keyUse(`${fn.logicalId} encrypts its durable state`, role, durableKey, ['kms:GenerateDataKey', 'kms:Decrypt'], { 'kms:ViaService': `lambda.${region}.amazonaws.com` }, undefined, true);
    }
    const logGroup = p.LoggingConfig?.LogGroup;
    if (logGroup) {
      const stream = `arn:${partition}:logs:${region}:${account}:log-group:${logGroup}:log-stream:2026/12/01/[$LATEST]abc`;
      for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
        paths.push({ why: `${fn.logicalId} writes its log group`, request: { principal: role, action, resource: stream } });
      }
    }
  }

  for (const group of d.ofType('AWS::Logs::LogGroup')) {
    const groupArn = `arn:${partition}:logs:${region}:${account}:log-group:${d.ref(group.logicalId)}`;
    keyUse(`CloudWatch Logs encrypts log group ${group.logicalId}`, `logs.${region}.amazonaws.com`, index.keyOf(group),
      ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'], { 'kms:EncryptionContext:aws:logs:arn': groupArn });
  }

  for (const flowLog of d.ofType('AWS::EC2::FlowLog')) {
    const role = flowLog.properties.DeliverLogsPermissionArn;
    if (!role) continue;
    const flowLogArn = `arn:${partition}:ec2:${region}:${account}:vpc-flow-log/fl-0123456789abcdef0`;
    paths.push({ why: `VPC flow logs act with the role of ${flowLog.logicalId}`, request: { principal: 'vpc-flow-logs.amazonaws.com', action: 'sts:AssumeRole', resource: role, context: { 'aws:SourceAccount': account, 'aws:SourceArn': flowLogArn } } });
    const stream = `arn:${partition}:logs:${region}:${account}:log-group:${flowLog.properties.LogGroupName}:log-stream:eni-0abc-all`;
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
      paths.push({ why: `flow log ${flowLog.logicalId} writes its log group`, request: { principal: role, action, resource: stream } });
    }
  }

  for (const permission of d.ofType('AWS::Lambda::Permission')) {
    const p = permission.properties;
    if (p.Principal === '*' || p.Principal.startsWith('arn:') || /^\d{12}$/.test(p.Principal)) continue;
    const context: Record<string, string> = {};
    if (p.SourceArn) context['aws:SourceArn'] = p.SourceArn.replace(/\*/g, 'x');
    context['aws:SourceAccount'] = p.SourceAccount ?? account;
    const resource = p.FunctionName.startsWith('arn:') ? p.FunctionName : `arn:${partition}:lambda:${region}:${account}:function:${p.FunctionName}`;
    paths.push({ why: `${p.Principal} invokes through permission ${permission.logicalId}`, request: { principal: p.Principal, action: p.Action, resource, context } });
  }

  for (const step of d.ofType('Custom::SignedLambdaCode')) {
    const p = step.properties;
    const signerRole = signerRoleOf(d, p.ServiceToken);
    const bucket = `arn:${partition}:s3:::${p.SourceBucket}`;
    paths.push({ why: `the signer reads the staged package of ${step.logicalId}`, request: { principal: signerRole, action: 's3:GetObjectVersion', resource: `${bucket}/${p.SourceKey}` } });
    paths.push({ why: `the signer writes the signed package of ${step.logicalId}`, request: { principal: signerRole, action: 's3:PutObject', resource: `${bucket}/${p.DestinationPrefix}job-1234.zip` } });
    paths.push({ why: `the signer starts a job with the profile of ${step.logicalId}`, request: { principal: signerRole, action: 'signer:StartSigningJob', resource: profileArn(d, p.ProfileName), context: { 'signer:ProfileVersion': p.ProfileVersionArn.split('/').pop() } } });
  }

  for (const group of d.ofType('AWS::CodeDeploy::DeploymentGroup')) {
    const role = group.properties.ServiceRoleArn;
    for (const alarm of asArray<any>(group.properties.AlarmConfiguration?.Alarms)) {
      const alarmArn = `arn:${partition}:cloudwatch:${region}:${account}:alarm:${alarm.Name}`;
      paths.push({ why: `CodeDeploy reads rollback alarm of ${group.logicalId}`, request: { principal: role, action: 'cloudwatch:DescribeAlarms', resource: alarmArn } });
    }
    const groupName = d.ref(group.logicalId);
    const shifted = d.ofType('AWS::Lambda::Alias').filter((a) => d.section(a.logicalId, 'UpdatePolicy')?.CodeDeployLambdaAliasUpdate?.DeploymentGroupName === groupName);
    for (const alias of shifted) {
      for (const action of ['lambda:GetAlias', 'lambda:UpdateAlias']) {
        paths.push({ why: `CodeDeploy shifts alias ${alias.logicalId}`, request: { principal: role, action, resource: d.ref(alias.logicalId) } });
      }
    }
  }

  paths.push(...integrationPaths(d, index).paths, ...grantPaths(d, index).paths);
  return paths;
}

/**
 * Requests that look like intended ones but must be denied, on the resources
 * `owned` says the construct under test created (a test's own key or queue
 * follows the test's choices, not the library's).
 */
export function negativePaths(d: ResolvedTemplate, owned: (logicalId: string) => boolean = () => true): Path[] {
  const ofType = (type: string) => d.ofType(type).filter((r) => owned(r.logicalId));
  const { account, region, partition } = d.env;
  const outsider = `arn:${partition}:iam::${OTHER_ACCOUNT}:role/Intruder`;
  const sameAccountStranger = `arn:${partition}:iam::${account}:role/FunctionOutsideTheStack`;
  const paths: Path[] = [];
  for (const key of ofType('AWS::KMS::Key')) {
    const keyArn = d.getAtt(key.logicalId, 'Arn');
    paths.push({ why: `another account's administrator decrypts with ${key.logicalId}`, request: { principal: outsider, action: 'kms:Decrypt', resource: keyArn }, outsideIdentity: [ADMIN] });
    paths.push({ why: `a function outside the stack, granted nothing, decrypts with ${key.logicalId}`, request: { principal: sameAccountStranger, action: 'kms:Decrypt', resource: keyArn } });
    paths.push({ why: `Lambda reads a code package with ${key.logicalId} for another account's function`, request: { principal: 'lambda.amazonaws.com', action: 'kms:Decrypt', resource: keyArn, context: { 'kms:EncryptionContext:aws:lambda:FunctionArn': `arn:${partition}:lambda:${region}:${OTHER_ACCOUNT}:function:other` } } });
    paths.push({ why: `CloudWatch encrypts with ${key.logicalId} for another account's alarm`, request: { principal: 'cloudwatch.amazonaws.com', action: 'kms:GenerateDataKey', resource: keyArn, context: { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${OTHER_ACCOUNT}:alarm:x` } } });
    paths.push({ why: `an account principal creates a grant with ${key.logicalId} that is not for an AWS resource`, request: { principal: sameAccountStranger, action: 'kms:CreateGrant', resource: keyArn, context: { 'kms:GrantIsForAWSResource': 'false' } }, outsideIdentity: [ADMIN] });
  }
  for (const topic of ofType('AWS::SNS::Topic')) {
    const topicArn = d.ref(topic.logicalId);
    paths.push({ why: `another account's alarm publishes to ${topic.logicalId}`, request: { principal: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resource: topicArn, context: { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${OTHER_ACCOUNT}:alarm:x` } } });
    paths.push({ why: `a publisher without TLS reaches ${topic.logicalId}`, request: { principal: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resource: topicArn, context: { 'aws:SecureTransport': 'false', 'aws:SourceAccount': account, 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:x` } } });
    paths.push({ why: `another account's administrator publishes to ${topic.logicalId}`, request: { principal: outsider, action: 'sns:Publish', resource: topicArn }, outsideIdentity: [ADMIN] });
  }
  for (const queue of ofType('AWS::SQS::Queue')) {
    const queueArn = d.getAtt(queue.logicalId, 'Arn');
    for (const role of rolesGranted(d, 'sqs:SendMessage', queueArn)) {
      paths.push({ why: `${role} sends to ${queue.logicalId} without TLS`, request: { principal: role, action: 'sqs:SendMessage', resource: queueArn, context: { 'aws:SecureTransport': 'false' } } });
    }
    paths.push({ why: `another account's administrator reads ${queue.logicalId}`, request: { principal: outsider, action: 'sqs:ReceiveMessage', resource: queueArn }, outsideIdentity: [ADMIN] });
  }
  const secrets = d.ofType('AWS::SecretsManager::Secret').map((s) => d.ref(s.logicalId));
  for (const fn of ofType('AWS::Lambda::Function')) {
    for (const secret of secrets.filter((s) => !rolesGranted(d, 'secretsmanager:GetSecretValue', s).includes(fn.properties.Role))) {
      paths.push({ why: `${fn.logicalId} reads a secret it was not given`, request: { principal: fn.properties.Role, action: 'secretsmanager:GetSecretValue', resource: secret } });
    }
  }
  const durable = ofType('AWS::Lambda::Function').filter((f) => f.properties.DurableConfig);
  for (const fn of durable) {
    const others = d.ofType('AWS::Lambda::Function').filter((f) => f.logicalId !== fn.logicalId);
    const other = others.length > 0 ? d.getAtt(others[0].logicalId, 'Arn') : `arn:${partition}:lambda:${region}:${account}:function:another`;
    paths.push({ why: `${fn.logicalId} checkpoints another function's durable execution`, request: { principal: fn.properties.Role, action: 'lambda:CheckpointDurableExecution', resource: `${other}:3/durable-execution/order-42/0f1e2d3c` } });
    paths.push({ why: `${fn.logicalId} stops its own durable execution (not granted)`, request: { principal: fn.properties.Role, action: 'lambda:StopDurableExecution', resource: `${d.getAtt(fn.logicalId, 'Arn')}:3/durable-execution/order-42/0f1e2d3c` } });
  }
  for (const alias of ofType('AWS::Lambda::Alias')) {
    paths.push({ why: `another account's administrator invokes ${alias.logicalId}`, request: { principal: outsider, action: 'lambda:InvokeFunction', resource: d.ref(alias.logicalId) }, outsideIdentity: [ADMIN] });
  }
  for (const schedule of d.ofType('AWS::Scheduler::Schedule')) {
    const role = schedule.properties.Target?.RoleArn;
    if (!role || !owned(roleId(d, role) ?? '')) continue;
    const otherGroup = scheduleGroupArn({ ...d.env, account: OTHER_ACCOUNT }, schedule.properties.GroupName);
    paths.push({ why: `another account's schedule acts with the role of ${schedule.logicalId}`, request: { principal: 'scheduler.amazonaws.com', action: 'sts:AssumeRole', resource: role, context: { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': otherGroup } } });
  }
  for (const permission of ofType('AWS::Lambda::Permission').filter((p) => p.properties.Principal === 's3.amazonaws.com')) {
    const name: string = permission.properties.FunctionName;
    const resource = name.startsWith('arn:') ? name : `arn:${partition}:lambda:${region}:${account}:function:${name}`;
    paths.push({ why: `another account's bucket notifies through ${permission.logicalId}`, request: { principal: 's3.amazonaws.com', action: 'lambda:InvokeFunction', resource, context: { 'aws:SourceArn': `arn:${partition}:s3:::bucket-of-${OTHER_ACCOUNT}`, 'aws:SourceAccount': OTHER_ACCOUNT } } });
  }
  for (const step of d.ofType('Custom::SignedLambdaCode')) {
    const role = signerRoleOf(d, step.properties.ServiceToken);
    const bucket = `arn:${partition}:s3:::${step.properties.SourceBucket}`;
    paths.push({ why: `the signer overwrites a staged asset outside signed-code/ (${step.logicalId})`, request: { principal: role, action: 's3:PutObject', resource: `${bucket}/${step.properties.SourceKey}` } });
    paths.push({ why: `the signer signs with another profile version (${step.logicalId})`, request: { principal: role, action: 'signer:StartSigningJob', resource: profileArn(d, step.properties.ProfileName), context: { 'signer:ProfileVersion': 'v0Other' } } });
  }
  return paths;
}

function signerRoleOf(d: ResolvedTemplate, serviceToken: string): string {
  const fn = d.ofType('AWS::Lambda::Function').find((f) => d.getAtt(f.logicalId, 'Arn') === serviceToken);
  return fn?.properties.Role ?? 'unknown-signer-role';
}

function profileArn(d: ResolvedTemplate, profileName: string): string {
  const profile = d.ofType('AWS::Signer::SigningProfile').find((p) => d.getAtt(p.logicalId, 'ProfileName') === profileName);
  return profile ? d.getAtt(profile.logicalId, 'Arn') : `arn:${d.env.partition}:signer:${d.env.region}:${d.env.account}:/signing-profiles/${profileName}`;
}

/** The logical id of the role of the template with this ARN. */
function roleId(d: ResolvedTemplate, arn: string): string | undefined {
  return d.ofType('AWS::IAM::Role').find((r) => d.getAtt(r.logicalId, 'Arn') === arn)?.logicalId;
}

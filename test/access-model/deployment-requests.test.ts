import { MODEL_ENV } from '../support/access-model/access-model';
import { CfnTemplate, ResolvedTemplate } from '../support/access-model/cfn-resolver';
import { deploymentRequests, EXTERNAL_VPC, functionArn, policyPrincipals } from '../support/access-model/deployment-requests';

const DEPLOYER = 'arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-us-east-1';
const ADMIN = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }];
const fn = (name: string) => `arn:aws:lambda:us-east-1:111111111111:function:${name}`;

/** The name the library gives a helper: securefn-helper-<purpose>-<last group of the stack id>. */
const HELPER_NAME = {
  'Fn::Join': ['', ['securefn-helper-signer-', { 'Fn::Select': [4, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }] }]],
};

const template: CfnTemplate = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24' } },
    Group: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'fn', VpcId: { Ref: 'Vpc' } } },
    Signing: { Type: 'AWS::Lambda::CodeSigningConfig', Properties: { AllowedPublishers: { SigningProfileVersionArns: ['x'] } } },
    Layer: { Type: 'AWS::Lambda::LayerVersion', Properties: { LayerName: 'shared', Content: { S3Bucket: 'b', S3Key: 'k' } } },
    Orders: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: 'orders',
        Role: 'arn:aws:iam::111111111111:role/orders',
        VpcConfig: { SubnetIds: [{ Ref: 'Subnet' }], SecurityGroupIds: [{ 'Fn::GetAtt': ['Group', 'GroupId'] }] },
        CodeSigningConfigArn: { Ref: 'Signing' },
        Layers: [{ Ref: 'Layer' }, 'arn:aws:lambda:us-east-1:999999999999:layer:theirs:4'],
      },
    },
    Imported: {
      Type: 'AWS::Lambda::Function',
      Properties: { FunctionName: 'imported', Role: 'arn:aws:iam::111111111111:role/imported', VpcConfig: { SubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'], SecurityGroupIds: [] } },
    },
    Helper: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: HELPER_NAME, Role: 'arn:aws:iam::111111111111:role/helper' } },
    Invoke: { Type: 'AWS::Lambda::Permission', Properties: { FunctionName: { 'Fn::GetAtt': ['Orders', 'Arn'] }, Principal: 's3.amazonaws.com', Action: 'lambda:InvokeFunction' } },
    UrlInvoke: { Type: 'AWS::Lambda::Permission', Properties: { FunctionName: 'orders:live', Principal: '*', Action: 'lambda:InvokeFunctionUrl', FunctionUrlAuthType: 'NONE' } },
    Url: { Type: 'AWS::Lambda::Url', Properties: { TargetFunctionArn: { 'Fn::Join': [':', [{ 'Fn::GetAtt': ['Orders', 'Arn'] }, 'live']] }, AuthType: 'AWS_IAM' } },
    Provider: {
      Type: 'AWS::Lambda::CapacityProvider',
      Properties: { CapacityProviderName: 'fleet', VpcConfig: { SubnetIds: [{ Ref: 'Subnet' }], SecurityGroupIds: ['sg-0bbbbbbbbbbbbbbbb'] } },
    },
    Policy: {
      Type: 'AWS::Lambda::ResourcePolicy',
      Properties: {
        ResourceArn: fn('orders'),
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Principal: { AWS: ['222222222222', 'arn:aws:iam::111111111111:role/caller'], Service: 'events.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: '*' },
            { Effect: 'Deny', Principal: '*', Action: 'lambda:InvokeFunction', Resource: '*' },
          ],
        },
      },
    },
    WebPolicy: { Type: 'AWS::Lambda::ResourcePolicy', Properties: { ResourceArn: 'arn:aws:lambda:us-east-1:111111111111:web-function:site', PolicyDocument: { Statement: [] } } },
  },
};

describe('the requests CloudFormation makes to create a template\'s Lambda resources', () => {
  const d = ResolvedTemplate.of(template, MODEL_ENV);
  const requests = deploymentRequests(d);
  const vpc = d.ref('Vpc');
  const subnet = d.ref('Subnet');

  test('each as the CDK execution role, an administrator', () => {
    expect(new Set(requests.map((p) => p.request.principal))).toEqual(new Set([DEPLOYER]));
    expect(requests.every((p) => JSON.stringify(p.outsideIdentity) === JSON.stringify(ADMIN))).toBe(true);
  });

  test('a function: its VPC (through its subnet), subnets, security groups, code-signing config and layers', () => {
    expect(requests[0].request).toEqual({
      principal: DEPLOYER,
      action: 'lambda:CreateFunction',
      resource: fn('orders'),
      context: {
        'lambda:VpcIds': vpc,
        'lambda:SubnetIds': [subnet],
        'lambda:SecurityGroupIds': [d.getAtt('Group', 'GroupId')],
        'lambda:CodeSigningConfigArn': d.ref('Signing'),
        'lambda:Layer': ['arn:aws:lambda:us-east-1:111111111111:layer:shared:1', 'arn:aws:lambda:us-east-1:999999999999:layer:theirs:4'],
      },
    });
    expect(vpc).toMatch(/^vpc-/);
    expect(subnet).toMatch(/^subnet-/);
  });

  test('a subnet outside the template: a placeholder VPC; no security group, no key', () => {
    expect(requests[1].request).toMatchObject({ resource: fn('imported'), context: { 'lambda:VpcIds': EXTERNAL_VPC, 'lambda:SubnetIds': ['subnet-0aaaaaaaaaaaaaaaa'] } });
    expect(Object.keys(requests[1].request.context!)).toEqual(['lambda:VpcIds', 'lambda:SubnetIds']);
  });

  test('a helper named from the stack id resolves to securefn-helper-<purpose>-<12 hex>, and has no key when it has no setting', () => {
    expect(requests[2].request.resource).toMatch(/^arn:aws:lambda:us-east-1:111111111111:function:securefn-helper-signer-[0-9a-f]{12}$/);
    expect(requests[2].request.context).toEqual({});
  });

  test('permissions, URL, capacity provider and the resource policy of a function, each with its keys', () => {
    expect(requests.slice(3).map((p) => [p.request.action, p.request.resource, p.request.context])).toEqual([
      ['lambda:AddPermission', fn('orders'), { 'lambda:Principal': 's3.amazonaws.com' }],
      ['lambda:AddPermission', fn('orders'), { 'lambda:Principal': '*', 'lambda:FunctionUrlAuthType': 'NONE' }],
      ['lambda:CreateFunctionUrlConfig', fn('orders'), { 'lambda:FunctionUrlAuthType': 'AWS_IAM' }],
      ['lambda:CreateCapacityProvider', 'arn:aws:lambda:us-east-1:111111111111:capacity-provider:fleet', { 'lambda:SubnetIds': [subnet], 'lambda:SecurityGroupIds': ['sg-0bbbbbbbbbbbbbbbb'] }],
      ['lambda:PutResourcePolicy', fn('orders'), { 'lambda:Principal': '222222222222' }],
      ['lambda:PutResourcePolicy', fn('orders'), { 'lambda:Principal': 'arn:aws:iam::111111111111:role/caller' }],
      ['lambda:PutResourcePolicy', fn('orders'), { 'lambda:Principal': 'events.amazonaws.com' }],
    ]);
  });

  test('the resources the construct under test does not own are left out', () => {
    expect(deploymentRequests(d, (id) => id !== 'Orders' && id !== 'Invoke').map((p) => p.why)).not.toContainEqual(expect.stringMatching(/\((Orders|Invoke)\)$/));
    expect(deploymentRequests(d, (id) => id !== 'Orders')).toHaveLength(requests.length - 1);
  });

  test('function names and ARNs, qualified or partial, to the unqualified function ARN', () => {
    expect(['orders', 'orders:live', fn('orders'), `${fn('orders')}:7`, '111111111111:function:orders'].map((n) => functionArn(d, n))).toEqual(Array(5).fill(fn('orders')));
    expect(functionArn(d, '222222222222:function:theirs')).toBe('arn:aws:lambda:us-east-1:222222222222:function:theirs');
  });

  test('the principals of a policy\'s Allow statements', () => {
    expect(policyPrincipals({ Statement: [{ Effect: 'Allow', Principal: '*' }, { Effect: 'Allow', Principal: { AWS: '*', Service: ['a.amazonaws.com'] } }, { Effect: 'Deny', Principal: { AWS: '3' } }] }))
      .toEqual(['*', 'a.amazonaws.com']);
  });
});

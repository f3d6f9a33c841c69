import { CfnResource, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { nameHelperFunction } from '../cfn/helper-functions';
import { skipScannerChecks } from '../cfn/scanner-skips';
import { ManagedPolicyRole } from '../iam/managed-policy-role';

/**
 * Properties of an IsolatedNetwork.
 */
export interface IsolatedNetworkProps {
  /**
   * The key that encrypts the flow logs.
   */
  readonly key: kms.IKey;

  /**
   * How many Availability Zones to span (Lambda needs at least 2 for resilience).
   *
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * How long flow logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * What happens to the flow log group when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Construct id of the provider CDK adds for `restrictDefaultSecurityGroup`. */
const RESTRICT_DEFAULT_SG_PROVIDER = 'Custom::VpcRestrictDefaultSGCustomResourceProvider';

/**
 * A VPC with private isolated subnets only: no internet gateway, no NAT gateway,
 * no public IP, the default security group closed, every flow logged to an
 * encrypted log group. Functions reach AWS services through VPC endpoints.
 */
export class IsolatedNetwork extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.Vpc;

  /** The log group that receives the VPC's flow logs. */
  public readonly flowLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: IsolatedNetworkProps) {
    super(scope, id);
    const maxAzs = props.maxAzs ?? 2;
    const stack = Stack.of(this);
    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      encryptionKey: props.key,
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    const flowLogRole = new ManagedPolicyRole(this, 'FlowLogsRole', {
      // Only flow logs of this account and region may act with it (confused deputy).
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ec2:${stack.region}:${stack.account}:vpc-flow-log/*` },
        },
      }),
      description: 'Delivers the isolated VPC flow logs to their encrypted log group',
    });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
      maxAzs,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 }],
      restrictDefaultSecurityGroup: true,
      flowLogs: {
        All: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup, flowLogRole),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });
    // The flow log acts with the role as soon as it exists: its permissions first.
    this.vpc.node.findChild('All').node.addDependency(flowLogRole.policy);
    acknowledgeDefaultSecurityGroupProvider(this);
    skipLookedUpZones(this.vpc);
  }
}

/**
 * CDK closes a VPC's default security group with a provider function that runs
 * once, at deployment, and calls the EC2 API. Placing it in the isolated VPC
 * would need an EC2 interface endpoint in every stack for that single call, so
 * the Control Tower VPC rule is acknowledged on that provider alone.
 */
function acknowledgeDefaultSecurityGroupProvider(scope: Construct): void {
  const provider = Stack.of(scope).node.tryFindChild(RESTRICT_DEFAULT_SG_PROVIDER);
  if (provider) {
    const outsideVpc = "CDK's VpcRestrictDefaultSG provider runs once per deployment to revoke the default security group's rules through the EC2 API; the isolated VPC has no route to EC2 and an EC2 interface endpoint for that one call would cost more than every function it protects.";
    Validations.of(provider).acknowledge({ id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason: outsideVpc });
    const cdkOwned = "CDK's VpcRestrictDefaultSG provider: CDK ships its code and settings (no dead-letter queue or reserved concurrency can be given), and CloudFormation invokes it synchronously once per deployment, failing the deployment on an error.";
    nameHelperFunction(provider.node.findChild('Handler') as CfnResource, 'default-sg');
    skipScannerChecks(provider.node.findChild('Handler'), {
      checkov: [{ id: 'CKV_AWS_117', reason: outsideVpc }, { id: 'CKV_AWS_115', reason: cdkOwned }, { id: 'CKV_AWS_116', reason: cdkOwned }],
      cfnLint: [{ id: 'W3005', reason: "CDK's provider waits for its role by construct as well as through its Role property; harmless, and CDK's to render." }],
    });
  }
}

/**
 * CDK writes the availability zones it looked up for the stack's account and
 * region into each subnet (cfn-lint W3010 asks for Fn::GetAZs, which only an
 * environment-agnostic stack gets).
 */
function skipLookedUpZones(vpc: ec2.Vpc): void {
  if (Token.isUnresolved(Stack.of(vpc).region)) {
    return;
  }
  for (const subnet of vpc.isolatedSubnets) {
    skipScannerChecks(subnet, {
      cfnLint: [{ id: 'W3010', reason: 'The stack names its account and region: CDK writes the availability zones it looked up for them (cdk.context.json), the zones the VPC must stay in.' }],
    });
  }
}

import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { RoleWithPolicy } from '../iam/managed-policy-role';

/**
 * What a function's role is granted for the Lambda service itself rather than
 * for its code: the pollers of its event sources and the delivery of its async
 * destinations. Both run outside the function's VPC, so these grants open no
 * VPC endpoint; what AWS authorizes only on `*` goes to a policy of its own
 * (`PollerPolicy`), so that its acknowledgment covers nothing else; and the
 * AWS managed policies CDK's Kafka sources and Config custom rules attach are
 * replaced by exact grants.
 */
export class LambdaServiceGrants {
  private binding = false;
  private mskPolicyReplaced = false;

  /**
   * @param owner the function's owner (scope of the poller policy)
   * @param label how descriptions name the function, e.g. 'SecureFunction App/Fn'
   * @param role its execution role, once created
   * @param fn its function resource, once created (it waits for the poller policy)
   */
  constructor(
    private readonly owner: Construct,
    private readonly label: string,
    private readonly role: () => RoleWithPolicy,
    private readonly fn: () => IConstruct,
  ) {}

  /** Whether an event source or destination is binding now. */
  public get active(): boolean {
    return this.binding;
  }

  /** Runs `bind` with what it grants taken as the Lambda service's. */
  public during<T>(bind: () => T): T {
    this.binding = true;
    try {
      return bind();
    } finally {
      this.binding = false;
    }
  }

  /** The policy a statement granted now belongs in (undefined: the function's own). */
  public policyFor(statement: iam.PolicyStatement): iam.ManagedPolicy | undefined {
    return this.binding && statement.resources.includes('*') ? this.pollerPolicy() : undefined;
  }

  /**
   * CDK's Kafka event sources attach the AWS managed AWSLambdaMSKExecutionRole
   * (every cluster, network interfaces and logs on `*`): refused, and replaced
   * once the mapping exists (grantPollerNetwork). Config custom rules attach
   * AWSConfigRulesExecutionRole: replaced by config:PutEvaluations.
   *
   * @returns whether the policy was taken care of
   */
  public replaceAwsManagedPolicy(name: string): boolean {
    if (this.binding && name === 'service-role/AWSLambdaMSKExecutionRole') {
      this.mskPolicyReplaced = true;
      return true;
    }
    if (name === 'service-role/AWSConfigRulesExecutionRole') {
      // config.CustomRule attaches it (Config reads, delivery-bucket reads, every config:Put*):
      // a custom rule's code reports with PutEvaluations, authorized on '*' only. What else
      // the rule reads, the app grants; the code's calls open the Config endpoint.
      this.role().role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['config:PutEvaluations'], resources: ['*'] }));
      return true;
    }
    return false;
  }

  /**
   * What Lambda's poller needs to reach a Kafka cluster or an MQ broker in a
   * VPC: the cluster's description and bootstrap brokers, and discovery of the
   * source's VPC, subnets and security groups.
   */
  public grantPollerNetwork(mapping: lambda.CfnEventSourceMapping): void {
    if (mapping.eventSourceArn && this.mskPolicyReplaced) {
      // Into the role's policy directly: the poller's, so no endpoint.
      this.role().policy.addStatements(new iam.PolicyStatement({
        actions: ['kafka:DescribeClusterV2'],
        resources: [mapping.eventSourceArn],
      }));
      this.pollerPolicy().addStatements(new iam.PolicyStatement({ actions: ['kafka:GetBootstrapBrokers'], resources: ['*'] }));
    }
    this.mskPolicyReplaced = false;
    this.pollerPolicy().addStatements(new iam.PolicyStatement({
      actions: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
      resources: ['*'],
    }));
  }

  /**
   * The role's policy for what Lambda's event-source pollers need that AWS
   * authorizes on `*` only (dynamodb:ListStreams, kafka:GetBootstrapBrokers,
   * ec2:Describe*).
   */
  private pollerPolicy(): iam.ManagedPolicy {
    let policy = this.owner.node.tryFindChild('PollerPolicy') as iam.ManagedPolicy | undefined;
    if (!policy) {
      policy = new iam.ManagedPolicy(this.owner, 'PollerPolicy', {
        description: `What Lambda's event-source pollers of ${this.label} need on '*'`,
        roles: [this.role().role],
      });
      // The poller acts with the role as soon as the function's mappings exist.
      this.fn().node.addDependency(policy);
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'This policy holds only what Lambda\'s event-source pollers need that supports no resource-level permission (Service Authorization Reference): listing streams, a Kafka cluster\'s bootstrap brokers, and the VPC, subnets and security groups of a source in a VPC.',
      });
    }
    return policy;
  }
}

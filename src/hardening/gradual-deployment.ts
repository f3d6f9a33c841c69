import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from '../iam/managed-policy-role';

/**
 * Properties of a GradualDeployment.
 */
export interface GradualDeploymentProps {
  /** The alias whose traffic shifts to each new version. */
  readonly alias: lambda.Alias;
  /** How traffic shifts (canary or linear). */
  readonly deploymentConfig: codedeploy.ILambdaDeploymentConfig;
  /** Alarms that roll the deployment back. */
  readonly alarms: cloudwatch.IAlarm[];
}

/**
 * Shifts the alias to each new version with CodeDeploy and rolls back when an
 * alarm fires or the deployment fails. CodeDeploy's role holds exactly what it
 * does here in a customer-managed policy (reading and updating this alias,
 * reading these alarms) instead of the AWS managed
 * AWSCodeDeployRoleForLambdaLimited that CDK would attach.
 */
export class GradualDeployment extends Construct {
  /** The deployment group. */
  public readonly deploymentGroup: codedeploy.LambdaDeploymentGroup;

  constructor(scope: Construct, id: string, props: GradualDeploymentProps) {
    super(scope, id);
    const role = new ManagedPolicyRole(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('codedeploy.amazonaws.com'),
      description: `CodeDeploy shifting traffic of ${props.alias.node.path}`,
    });
    // The alias by its ARN, built from the function's: a Ref to the alias would close a
    // circle (the alias's update policy names the deployment group, which waits for this policy).
    const aliasArn = `${props.alias.version.lambda.functionArn}:${props.alias.aliasName}`;
    role.policy.addStatements(
      new iam.PolicyStatement({
        sid: 'ShiftThisAlias',
        actions: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
        resources: [aliasArn],
      }),
      new iam.PolicyStatement({
        sid: 'ReadRollbackAlarms',
        actions: ['cloudwatch:DescribeAlarms'],
        resources: props.alarms.map((alarm) => alarm.alarmArn),
      }),
    );
    this.deploymentGroup = new codedeploy.LambdaDeploymentGroup(this, 'Group', {
      alias: props.alias,
      deploymentConfig: props.deploymentConfig,
      alarms: props.alarms,
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
      // CDK would attach an AWS managed policy to the role: the policy above is the role's only one.
      role: role.withoutPolicyUpdates(),
    });
    this.deploymentGroup.node.addDependency(role.policy);
  }
}

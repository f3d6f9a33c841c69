// The fixed monthly cost of a synthesized template: what the resources cost
// while nothing runs. Usage (invocations, data events, storage, requests) is
// not fixed and is left out.

/** Monthly prices used by the benchmark (us-east-1, on-demand, 730 hours a month). */
export const PRICES = {
  /** An interface VPC endpoint, per AZ: $0.01 an hour. */
  interfaceEndpointPerAz: 7.3,
  /** A NAT gateway: $0.045 an hour. */
  natGateway: 32.85,
  /** A public IPv4 address (an EIP, or a NAT gateway's): $0.005 an hour. */
  publicIpv4: 3.65,
  /** A customer-managed KMS key (rotation included). */
  kmsKey: 1,
  /** A standard-resolution CloudWatch alarm on one metric. */
  alarm: 0.1,
  /** A Secrets Manager secret. */
  secret: 0.4,
  /** A CloudWatch dashboard (beyond the account's first three). */
  dashboard: 3,
} as const;

/** What one resource type costs each month, for the types that cost anything at rest. */
export interface CostLine {
  readonly item: string;
  readonly count: number;
  readonly monthly: number;
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
}

/** The fixed monthly cost of a template, line by line. */
export function monthlyCost(template: { Resources?: Record<string, TemplateResource> }): CostLine[] {
  const resources = Object.values(template.Resources ?? {});
  const ofType = (type: string) => resources.filter((r) => r.Type === type);
  const interfaceEndpointAzs = ofType('AWS::EC2::VPCEndpoint')
    .filter((r) => r.Properties?.VpcEndpointType === 'Interface')
    .reduce((sum, r) => sum + (Array.isArray(r.Properties?.SubnetIds) ? r.Properties!.SubnetIds.length : 1), 0);
  const nat = ofType('AWS::EC2::NatGateway').length;
  const eips = ofType('AWS::EC2::EIP').length;
  const lines: CostLine[] = [
    { item: 'interface endpoint AZs', count: interfaceEndpointAzs, monthly: interfaceEndpointAzs * PRICES.interfaceEndpointPerAz },
    { item: 'NAT gateways', count: nat, monthly: nat * PRICES.natGateway },
    { item: 'public IPv4 addresses', count: eips, monthly: eips * PRICES.publicIpv4 },
    { item: 'KMS keys', count: ofType('AWS::KMS::Key').length, monthly: ofType('AWS::KMS::Key').length * PRICES.kmsKey },
    { item: 'CloudWatch alarms', count: ofType('AWS::CloudWatch::Alarm').length, monthly: ofType('AWS::CloudWatch::Alarm').length * PRICES.alarm },
    { item: 'Secrets Manager secrets', count: ofType('AWS::SecretsManager::Secret').length, monthly: ofType('AWS::SecretsManager::Secret').length * PRICES.secret },
    { item: 'dashboards', count: ofType('AWS::CloudWatch::Dashboard').length, monthly: ofType('AWS::CloudWatch::Dashboard').length * PRICES.dashboard },
  ];
  return lines.filter((line) => line.count > 0);
}

/** The total of `monthlyCost`, rounded to cents. */
export function totalMonthly(template: { Resources?: Record<string, TemplateResource> }): number {
  return Math.round(monthlyCost(template).reduce((sum, line) => sum + line.monthly, 0) * 100) / 100;
}

/** Interface endpoints in a template (service names). */
export function interfaceEndpoints(template: { Resources?: Record<string, TemplateResource> }): string[] {
  return Object.values(template.Resources ?? {})
    .filter((r) => r.Type === 'AWS::EC2::VPCEndpoint' && r.Properties?.VpcEndpointType === 'Interface')
    .map((r) => JSON.stringify(r.Properties?.ServiceName));
}

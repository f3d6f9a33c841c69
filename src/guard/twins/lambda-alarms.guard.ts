import { GuardContext, guardString } from '../guard-dsl';

/** What the Guard text is built from: the TS rule's own constants. */
export interface AlarmsGuardData {
  /** The metric an alarm must watch. */
  readonly metricName: string;
  /** The dimension that names the function. */
  readonly dimension: string;
  /** The resources that stand for the function in a dimension: its versions and aliases. */
  readonly standIns: readonly string[];
}

/** How a dimension value, or a version's or alias's FunctionName, names an in-stack resource (a Fn::Sub: its last variable). */
const REFERENCES = [
  { is: 'Ref is_string', id: 'Ref' },
  { is: "'Fn::GetAtt' exists", id: "'Fn::GetAtt'[0]" },
  { is: "'Fn::Sub' is_string", id: "'Fn::Sub'", sub: true },
];

/**
 * lambda-alarms in Guard: every judged function must be watched by an alarm on
 * its Errors metric (FunctionView.alarms): a FunctionName dimension, in Dimensions
 * or in a metric of Metrics, that refers to the function or to one of its
 * versions or aliases, or that names it literally (its FunctionName). An alarm
 * whose metric name is an intrinsic also makes the function pass (UNRESOLVED).
 * The failure points at the function. Guard has no logical id per function: a
 * function is found among the watched ones by comparing whole resources, so of two
 * functions with identical bodies (never in `cdk synth` output, whose Metadata holds
 * the construct path) one watched makes both pass.
 */
export function alarmsGuard({ name, functions, message }: GuardContext, data: AlarmsGuardData): string {
  const metric = guardString(data.metricName);
  const dimension = guardString(data.dimension);
  const sources = [
    { key: 'dimensions', query: `%${name}_watching[ Properties.Dimensions is_list ].Properties.Dimensions` },
    { key: 'metrics', query: `%${name}_watching[ Properties.Metrics is_list ].Properties.Metrics[ MetricStat.Metric.Dimensions is_list ].MetricStat.Metric.Dimensions` },
  ];
  const lets: string[] = [];
  const members: string[] = [];
  for (const source of sources) {
    lets.push(`let ${name}_names_${source.key} = ${source.query}[ Name == ${dimension}  Value is_string ].Value`);
    lets.push(`let ${name}_by_name_${source.key} = %${functions}[ Properties.FunctionName in %${name}_names_${source.key} ]`);
    members.push(`${name}_by_name_${source.key}`);
    REFERENCES.forEach((ref, r) => {
      const set = `${name}_${source.key}_${r}`;
      const values = `${source.query}[ Name == ${dimension}  Value.${ref.is} ].Value.${ref.id}`;
      if (ref.sub) {
        lets.push(`let ${set}_subs = ${values}`);
        lets.push(`let ${set}_ids = regex_replace(%${set}_subs, "^.*\\$\\{([^}.!]+)[^}]*\\}.*$", "\${1}")`);
      } else {
        lets.push(`let ${set}_ids = ${values}`);
      }
      lets.push(`let ${set} = Resources[ keys in %${set}_ids ]`);
      members.push(set);
      // A version or an alias stands for its function.
      REFERENCES.filter((hop) => !hop.sub).forEach((hop, h) => {
        lets.push(`let ${set}_function_ids_${h} = %${set}[ Type in [${data.standIns.map(guardString).join(', ')}]  Properties.FunctionName.${hop.is} ].Properties.FunctionName.${hop.id}`);
        lets.push(`let ${set}_functions_${h} = Resources[ keys in %${set}_function_ids_${h} ]`);
        members.push(`${set}_functions_${h}`);
      });
    });
  }
  return `
let ${name}_alarms = Resources.*[ Type == 'AWS::CloudWatch::Alarm' ]
# The alarms that count: on the metric, or on a metric named by an intrinsic.
let ${name}_watching = %${name}_alarms[
    Properties.MetricName == ${metric} or Properties.MetricName is_struct or
    some Properties.Metrics[*].MetricStat.Metric.MetricName == ${metric} or
    some Properties.Metrics[*].MetricStat.Metric.MetricName is_struct
]
# What their function dimensions name: functions, by name or reference, directly or through a version or alias.
${lets.join('\n')}

rule ${name} when %${functions} !empty {
    %${functions} {
        let judged = this
${members.map((set, i) => `        let watched_${i} = %${set}[ this == %judged ]`).join('\n')}
        when ${members.map((_, i) => `%watched_${i} empty`).join('\n             ')} {
            this !exists
            ${message}
        }
    }
}`;
}

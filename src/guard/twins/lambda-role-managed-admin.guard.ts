import { GuardContext, guardString } from '../guard-dsl';
import { functionRoles, memberOf } from '../role-policies';

/** What the Guard text is built from: the TS rule's own constants. */
export interface ManagedAdminGuardData {
  /** `arn:` */
  readonly arnStart: string;
  /** The regex of the partition field (a literal or `${AWS::Partition}`). */
  readonly partition: string;
  /** `:iam::aws:policy/`, after the partition. */
  readonly policyPath: string;
  /** Administrator policy names. */
  readonly adminNames: readonly string[];
  /** Any name starting with this is one too. */
  readonly adminPrefix: string;
  /** Any name ending with this is one too. */
  readonly adminSuffix: string;
  /** The prefix of the variables a Fn::Sub may hold (pseudo parameters). */
  readonly pseudoParameter: string;
}

/** A regex source matching `text` literally. */
function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** A Guard regex literal of a regex source (slashes escaped). */
function regex(source: string): string {
  return `/${source.replace(/\//g, '\\/')}/`;
}

/** A regex source matching `${...}` whose variable does not start with `prefix` (Guard regexes have no lookahead). */
function variableNotStartingWith(prefix: string): string {
  const alternatives = [...prefix].map((c, i) => `${escape(prefix.slice(0, i))}${i === 0 ? `[^${escape(c)}}][^}]*` : `(?:[^${escape(c)}}][^}]*)?`}`);
  return `\\$\\{(?:${alternatives.join('|')})\\}`;
}

/**
 * The shapes of Fn::Join Guard reads, beside a join of literals: the partition as
 * `{ Ref: AWS::Partition }`, second part, after the first one ('arn:' joined by '',
 * as CDK writes it, or 'arn' joined by ':'). Guard cannot join a list holding an
 * object: it joins the literal parts, and the text then lacks the partition field.
 */
const PARTITION_JOINS = ['', ':'];

/**
 * lambda-role-managed-admin in Guard: every ManagedPolicyArns entry of the (not
 * acknowledged) role of a judged function fails on the role when it is an AWS
 * managed administrator or full-access policy: a literal ARN, a Fn::Sub of
 * pseudo parameters only, a Fn::Join of literals, or a Fn::Join of the CDK shape
 * with `{ Ref: AWS::Partition }`. Any other intrinsic passes (UNRESOLVED), as a
 * Fn::Join shape Guard does not read (the TS rule also reads nested joins, or a
 * partition anywhere).
 */
export function roleManagedAdminGuard({ name, functions, message, unacknowledged }: GuardContext, data: ManagedAdminGuardData): string {
  const roles = functionRoles(name, functions);
  const names = `(?:.*/)?(?:${[...data.adminNames.map(escape), `${escape(data.adminPrefix)}[^/]*`, `[^/]*${escape(data.adminSuffix)}`].join('|')})$`;
  const arn = regex(`^${escape(data.arnStart)}${data.partition}${escape(data.policyPath)}${names}`);
  const fail = (indent: string) => `{
${indent}    this !exists
${indent}    ${message}
${indent}}`;
  const member = memberOf('role', [...Array(roles.count).keys()].map((k) => `${name}_named_roles_${k}`), '        ');
  const joins = PARTITION_JOINS.filter((d) => data.arnStart.endsWith(d) && data.policyPath.startsWith(d)).map((d) => `
                    when %others == 1  %delimiter == ${guardString(d)}
                         this.'Fn::Join'[1][0] == ${guardString(data.arnStart.slice(0, data.arnStart.length - d.length))}
                         this.'Fn::Join'[1][1].Ref == "${data.pseudoParameter}Partition"
                         %text == ${regex(`^${escape(data.arnStart)}${escape(data.policyPath.slice(d.length))}${names}`)} ${fail('                    ')}`).join('');
  return `
${roles.lets}
let ${name}_roles = ${unacknowledged('AWS::IAM::Role')}

rule ${name} when %${functions} !empty {
    %${name}_roles[ Properties.ManagedPolicyArns is_list ] {
        let role = this
${member.lets}
        when ${member.when} {
            Properties.ManagedPolicyArns[*] {
                when this is_string
                     this == ${arn} ${fail('                ')}
                when this.'Fn::Sub' is_string
                     this.'Fn::Sub' == ${arn}
                     this.'Fn::Sub' != ${regex(variableNotStartingWith(data.pseudoParameter))} ${fail('                ')}
                when this.'Fn::Join'[0] is_string
                     this.'Fn::Join'[1] is_list {
                    let delimiter = this.'Fn::Join'[0]
                    let parts = this.'Fn::Join'[1]
                    let strings = %parts[ this is_string ]
                    let text = join(%strings, %delimiter)
                    let non_strings = %parts[ this !is_string ]
                    let others = count(%non_strings)
                    when %others == 0  %text == ${arn} ${fail('                    ')}${joins}
                }
            }
        }
    }
}`;
}

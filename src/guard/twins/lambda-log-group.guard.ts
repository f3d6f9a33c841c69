import { GuardContext } from '../guard-dsl';
import { conditionsOf, idLists, refersTo } from '../id-lists';

const LOG_GROUP = 'AWS::Logs::LogGroup';
const LOG_RETENTION = 'Custom::LogRetention';

/**
 * lambda-log-group in Guard. Each judged function is visited by its logical id
 * (see dead-letter.guard.ts) to find its log group as FunctionView.logGroup
 * does: the AWS::Logs::LogGroup that LoggingConfig.LogGroup refers to, else the
 * one with that name (a log group elsewhere: not judged); without
 * LoggingConfig.LogGroup, a log group, else a CDK Custom::LogRetention, whose
 * LogGroupName refers to the function. No log group fails the function; a log
 * group without a key (a Custom::LogRetention never has one) or without a
 * retention fails the log group, unless the rule is acknowledged on it. A key
 * from a condition, or a retention from a parameter, is not judged.
 *
 * Where the Aspect takes the first of several candidates (several log groups
 * named after one function, or a LoggingConfig.LogGroup whose Fn::If refers to
 * two), Guard judges them all: it errs on the strict side.
 */
export function logGroupGuard({ name, functions, message, unacknowledged }: GuardContext): string {
  const id = `${name}_id`;
  const fn = `${name}_fn`;
  const judge = `${name}_judge_log_groups`;
  const cfg = idLists(`${name}_cfg`, fn, 'Properties.LoggingConfig.LogGroup');
  const configured = idLists(`${name}_configured`, functions, 'Properties.LoggingConfig.LogGroup');
  const indent = ' '.repeat(16);
  return `
let ${name}_resources = Resources
let ${name}_log_groups = Resources.*[ Type == '${LOG_GROUP}' ]
let ${name}_retentions = Resources.*[ Type == '${LOG_RETENTION}' ]
# The logical ids the judged functions' LoggingConfig.LogGroup refer to.
${configured.lets.join('\n')}

# The verdict on a function's log groups (those the rule is acknowledged on are left out).
rule ${judge}(groups) {
${[LOG_GROUP, LOG_RETENTION].map((type) => `    %groups[ ${conditionsOf(unacknowledged(type))} ] {
        # A CDK Custom::LogRetention sets a retention only: Lambda's log group stays unencrypted.
        Type == '${LOG_GROUP}'
        ${message}
        # Any key but an empty string: a reference, a parameter or a condition counts.
        Properties.KmsKeyId not in ['']
        ${message}
        Properties.RetentionInDays exists
        ${message}
    }`).join('\n')}
}

rule ${name} when %${functions} !empty {
    # Each log group (by logical id) that a judged function's LoggingConfig.LogGroup refers to.
    when Resources[ ${name}_group_ids | ${conditionsOf(unacknowledged(LOG_GROUP))} ] !empty {
        %${name}_group_ids[*] {
            let ${name}_group_id = this
            when ${configured.lists.map((list) => `%${name}_group_id in %${list}`).join(` or\n${' '.repeat(17)}`)} {
                let ${name}_group = %${name}_resources.%${name}_group_id
                ${judge}(%${name}_group)
            }
        }
    }
    when Resources[ ${name}_ids | ${conditionsOf(unacknowledged('AWS::Lambda::Function'))} ] !empty {
        %${name}_ids[*] {
            let ${id} = this
            let ${fn} = %${name}_resources.%${id}
            when %${fn}.Properties.LoggingConfig.LogGroup exists {
                # Not a log group of the stack it refers to (judged above): the one it names.
                ${cfg.lets.join(`\n${indent}`)}
                ${cfg.lists.map((list) => `let ${list}_resources = %${name}_resources[ keys in %${list} ]`).join(`\n${indent}`)}
                when ${cfg.lists.map((list) => `%${list}_resources[ Type == '${LOG_GROUP}' ] empty`).join(`\n${indent}     `)} {
                    let ${name}_configured = %${fn}.Properties.LoggingConfig.LogGroup
                    let ${name}_by_name = %${name}_log_groups[ Properties.LogGroupName == %${name}_configured ]
                    ${judge}(%${name}_by_name)
                }
            }
            when %${fn}.Properties.LoggingConfig.LogGroup not exists {
                # A log group named after the function, else a CDK log retention.
                let ${name}_named = %${name}_log_groups[
                    ${refersTo('Properties.LogGroupName', id, `${indent}    `)}
                ]
                let ${name}_retained = %${name}_retentions[
                    ${refersTo('Properties.LogGroupName', id, `${indent}    `)}
                ]
                when %${name}_named empty
                     %${name}_retained empty {
                    # Lambda creates /aws/lambda/<name> on first run, unencrypted and kept forever.
                    %${fn}.Properties.LoggingConfig.LogGroup exists
                    ${message}
                }
                ${judge}(%${name}_named)
                when %${name}_named empty {
                    ${judge}(%${name}_retained)
                }
            }
        }
    }
}`;
}

import { METADATA_SUFFIXES, SECRET_NAME_RULES, VALUE_SHAPES } from '../../rules/data/environment-checks';
import { GuardContext } from '../guard-dsl';

/*
 * findLiteralSecret (src/rules/data/environment-checks.ts) as Guard regexes, built
 * from its tables (value shapes, secret name phrases, metadata suffixes); only
 * the non-secret value patterns are restated, for Guard's trim and case rules.
 * The Guard test of lambda-env-literal-secret runs both on a corpus of names and
 * values and fails on any difference.
 *
 * Guard's regexes (Rust fancy-regex) have the lookarounds the JavaScript ones
 * use. JavaScript's \s and String.prototype.trim work on the same set, spelled
 * out below (Rust's \s differs on U+0085 and U+FEFF); the /i patterns only have
 * ASCII letters, spelled out as [aA] classes (Rust's case folding is Unicode).
 * One difference is left, in Guard's template reader: an unescaped U+0085 (NEL)
 * in a string is read as a line break, which the trim then removes; the Aspect
 * keeps it (a password-named "\u0085true" is a secret to the Aspect only).
 */

/** JavaScript's whitespace (\s, and what trim() removes), as the inside of a class. */
const WS = '\\t\\n\\x0B\\x0C\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';

/**
 * Value shapes that are a secret whatever the name (VALUE_SHAPES), on the trimmed
 * value: the same patterns, JavaScript's \s spelled out; the AWS secret access
 * key's extra test (upper case, lower case and digits) as lookaheads.
 */
const GUARD_VALUE_SHAPES = VALUE_SHAPES.map((shape) => shape.accept
  ? `^[${WS}]*(?=[A-Za-z0-9/+=]*[A-Z])(?=[A-Za-z0-9/+=]*[a-z])(?=[A-Za-z0-9/+=]*[0-9])${shape.pattern.source.replace(/^\^|\$$/g, '')}[${WS}]*$`
  : spellWhitespace(shape.pattern.source));

/** JavaScript's `\s` (only used inside classes by the shapes) as Guard's class contents; `\/` as `/`. */
function spellWhitespace(source: string): string {
  const spelled = source.replace(/\\\//g, '/').replace(/\[\^?\\s/g, (m) => m.replace('\\s', WS));
  if (/\\s/.test(spelled)) {
    throw new Error(`lambda-env-literal-secret: \\s outside a class in ${source}: spell it out for Guard`);
  }
  return spelled;
}

/**
 * What every value shape contains (without lookarounds): a quick test that
 * spares most values the full one.
 */
const SHAPE_HINT = [
  'PRIVATE KEY', '(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|ABIA|ACCA)', 'gh[pousr]_', 'github_pat_', 'xox[bpars]-', 'hooks\\.slack\\.com',
  '[sr]k_(?:live|test)_', 'AIza', 'eyJ', '://', `^[${WS}]*[A-Za-z0-9/+=]{40}[${WS}]*$`,
].join('|');

/** Word sequences in a name that suggest a secret (SECRET_NAME_RULES). */
const SECRET_NAME_PHRASES = SECRET_NAME_RULES.flatMap((rule) => rule.phrases.map((phrase) => [...phrase]));

/** Last words that mark a name as describing a secret rather than holding it (METADATA_SUFFIXES). */
const SUFFIXES = [...METADATA_SUFFIXES];

/** Values that cannot be a literal secret (NON_SECRET_VALUES), on the trimmed value. */
const NON_SECRET_VALUES = [
  `^[${WS}]*$`,
  `^[${WS}]*${ascii('arn')}:`,
  `^[${WS}]*/[A-Za-z0-9_.\\-/]+[${WS}]*$`,
  `^[${WS}]*(?:${['ssm', 'ssm-secure', 'secretsmanager', 'secrets-manager'].map(ascii).join('|')}):`,
  `^[${WS}]*\\{\\{resolve:`,
  `^[${WS}]*(?:${['true', 'false', 'yes', 'no', 'on', 'off'].map(ascii).join('|')})[${WS}]*$`,
  `^[${WS}]*[-+]?[0-9]+(?:\\.[0-9]+)?[${WS}]*$`,
];

/*
 * Names are matched the way splitName cuts them into words: at separators, at
 * letter/digit changes, before a capital that follows a lower-case letter or a
 * digit, and before the last capital of a run that a lower-case letter follows
 * (APIKey: api, key). A whole word is then written in one of three forms:
 *   lower (password): after a non-letter, before a non-lower-case character;
 *   Capitalized (Password): anywhere, before a non-lower-case character;
 *   UPPER (PASSWORD): after a non-capital, before a non-letter or a Capitalized word.
 * Words that play the same part are matched together, to keep the regex small:
 * Guard compiles it again for each name it tests.
 */
function anyWord(words: string[]): string {
  const alternatives = (form: (w: string) => string): string => `(?:${words.map(form).join('|')})`;
  return `(?:${[
    `(?<![A-Za-z])${alternatives((w) => w)}(?![a-z])`,
    `${alternatives((w) => w[0].toUpperCase() + w.slice(1))}(?![a-z])`,
    `(?<![A-Z])${alternatives((w) => w.toUpperCase())}(?=[^A-Za-z]|$|[A-Z][a-z])`,
  ].join('|')})`;
}

/** The phrases as consecutive words (separators between them), those with the same last words together. */
function phrases(): string {
  const byTail = new Map<string, string[]>();
  for (const phrase of SECRET_NAME_PHRASES) {
    const tail = phrase.slice(1).join(' ');
    byTail.set(tail, [...(byTail.get(tail) ?? []), phrase[0]]);
  }
  return `(?:${[...byTail].map(([tail, firsts]) => [anyWord(firsts), ...tail.split(' ').filter((w) => w).map((w) => anyWord([w]))].join('[^A-Za-z0-9]*')).join('|')})`;
}

/** A name with a secret phrase, whose last word is not a metadata suffix. */
const SECRET_NAME = `${phrases()}(?![\\s\\S]*${anyWord(SUFFIXES)}[^A-Za-z0-9]*$)`;

/**
 * A quick test that spares most functions the full one: a phrase's last word, in
 * one of its forms, is in a name; so is any shorter last word inside it (str in
 * string, key in privatekey).
 */
const LAST_WORDS = [...new Set(SECRET_NAME_PHRASES.map((phrase) => phrase[phrase.length - 1]))];
const SECRET_HINT = LAST_WORDS.filter((w) => !LAST_WORDS.some((other) => other !== w && w.includes(other)))
  .flatMap((w) => [w, w[0].toUpperCase() + w.slice(1), w.toUpperCase()]).join('|');

/**
 * findLiteralSecret as Guard regex literals, for every twin that judges
 * variables (this one, and lambda-baked-env-secret's for revisions and images).
 */
export const SECRET_REGEXES = {
  /** A quick test of a name, before the full one. */
  nameHint: regex(SECRET_HINT),
  /** A name that suggests a secret. */
  secretName: regex(SECRET_NAME),
  /** A quick test of a value, before the full one. */
  shapeHint: regex(SHAPE_HINT),
  /** A value shaped like a secret, whatever its name. */
  shapes: regex(GUARD_VALUE_SHAPES.map((shape) => `(?:${shape})`).join('|')),
  /** A value that cannot be a literal secret. */
  nonSecret: regex(NON_SECRET_VALUES.map((pattern) => `(?:${pattern})`).join('|')),
};

/** The Guard text of lambda-env-literal-secret. */
export function environmentLiteralSecretGuard({ name, functions, message }: GuardContext): string {
  const judged = `${name}_judged`;
  return `
# Functions whose variables are a literal map (a map from a parameter or an
# intrinsic function, a key Ref or Fn::*, is not judged).
let ${judged} = %${functions}[
    Properties.Environment.Variables is_struct
    Properties.Environment.Variables !empty
    Properties.Environment[ keys == ${INTRINSIC_KEY} ] empty
    Properties.Environment.Variables[ keys == ${INTRINSIC_KEY} ] empty
]
# Variables whose name suggests a secret (and does not end in a word such as ARN or TTL).
let ${name}_hinted = %${judged}[ Properties.Environment.Variables[ keys == ${SECRET_REGEXES.nameHint} ] !empty ]
let ${name}_secret_named = %${name}_hinted.Properties.Environment.Variables[ keys == ${SECRET_REGEXES.secretName} ]

rule ${name} when %${functions} !empty {
    # Only literal strings are judged: a reference, a parameter or a join is not a literal secret.
    when %${judged} !empty {
        %${judged}.Properties.Environment.Variables.* {
            when this is_string {
                # A value shaped like a secret, whatever the name.
                when this == ${SECRET_REGEXES.shapeHint} {
                    this != ${SECRET_REGEXES.shapes}
                    ${message}
                }
            }
        }
    }
    when %${name}_secret_named !empty {
        %${name}_secret_named {
            when this is_string {
                # Unless the value is an ARN, a parameter path, a reference, a boolean, a number or nothing.
                this == ${SECRET_REGEXES.nonSecret}
                ${message}
            }
        }
    }
}`;
}

/** The keys of an intrinsic function object (isIntrinsic), as a Guard regex. */
const INTRINSIC_KEY = '/^(Ref$|Fn::)/';

/** A Guard regex literal: `/` is its delimiter. */
function regex(source: string): string {
  return `/${source.replace(/\//g, '\\/')}/`;
}

/** A case-insensitive match of ASCII text, without Unicode case folding. */
function ascii(text: string): string {
  return text.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

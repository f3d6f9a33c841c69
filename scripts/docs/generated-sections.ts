// Every section of the docs that the code writes, in one list: the generator
// writes them and a test checks each committed one is what the code gives.
import { collectExceptions, Exceptions, renderExceptions } from './exceptions';
import { renderRulesTable } from './rules-table';
import { GeneratedSection } from './sections';

let exceptions: Exceptions | undefined;
/** The exceptions of the tested configurations, collected once per process (it synthesizes each). */
export function tested(): Exceptions {
  exceptions ??= collectExceptions();
  return exceptions;
}

export const GENERATED_SECTIONS: readonly GeneratedSection[] = [
  {
    file: 'docs/guard-and-rules.md',
    name: 'rules',
    source: 'src/rules/catalog.ts',
    render: renderRulesTable,
  },
  {
    file: 'docs/exceptions.md',
    name: 'acknowledged',
    source: 'the acknowledgments of the conformance scenarios and integrations',
    render: () => renderExceptions(tested().acknowledged),
  },
  {
    file: 'docs/exceptions.md',
    name: 'skipped',
    source: 'the scanner skips of the conformance scenarios and integrations',
    render: () => renderExceptions(tested().skipped),
  },
];

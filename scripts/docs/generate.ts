// npx projen docs:generate: rewrites every generated section of README.md and docs/.
import { GENERATED_SECTIONS } from './generated-sections';
import { writeSections } from './sections';

const changed = writeSections(GENERATED_SECTIONS);
console.log(changed.length > 0 ? `docs: rewrote ${[...new Set(changed)].join(', ')}` : 'docs: every generated section is current');

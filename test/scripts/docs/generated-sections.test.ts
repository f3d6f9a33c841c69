import * as fs from 'fs';
import * as path from 'path';
import { renderExceptions } from '../../../scripts/docs/exceptions';
import { GENERATED_SECTIONS, tested } from '../../../scripts/docs/generated-sections';
import { committedBody, enclosed, endMarker, GeneratedSection, ROOT, startMarker, withBody } from '../../../scripts/docs/sections';

const exceptions = tested();

describe('the generated sections of docs/', () => {
  test.each(GENERATED_SECTIONS.map((s) => [`${s.file} ${s.name}`, s] as const))('%s is what the code gives (run `npx projen docs:generate` after a change)', (_name, section) => {
    const text = fs.readFileSync(path.join(ROOT, section.file), 'utf8');
    expect(committedBody(text, section)).toBe(enclosed(section.render()));
  });

  test('a section is replaced between its markers, and a file without them is an error naming them', () => {
    const section: GeneratedSection = { file: 'x.md', name: 'demo', source: 'a test', render: () => 'new' };
    const text = `before\n${startMarker(section)}\nold\n${endMarker(section)}\nafter`;
    expect(withBody(text, section, enclosed('new'))).toBe(`before\n${startMarker(section)}\n\nnew\n\n${endMarker(section)}\nafter`);
    expect(() => committedBody('no markers', section)).toThrow(/x\.md has no markers for the generated section demo: <!-- generated:demo from a test/);
  });
});

describe('the exceptions tables', () => {
  test('name each check by suite, where it is made and why, with the app\'s own names left out', () => {
    const signer = exceptions.acknowledged.find((r) => r.on === 'SecurityBaseline/CodeSigning/Signer/Function (AWS::Lambda::Function)' && r.checks.includes('catalog: `lambda-inside-vpc`'));
    expect(signer).toMatchObject({
      checks: expect.arrayContaining(['Control Tower: `lambda_inside_vpc_check`', 'cdk-nag: `NIST.800.53.R5-LambdaInsideVPC`', 'cdk-nag: `HIPAA.Security-LambdaInsideVPC`', 'cdk-nag: `PCI.DSS.321-LambdaInsideVPC`']),
      why: expect.stringMatching(/^The deploy-time signer runs only while CloudFormation deploys/),
    });
    expect(exceptions.acknowledged).toEqual(expect.arrayContaining([
      expect.objectContaining({ checks: ['cdk-nag: `AwsSolutions-IAM5[Resource::<resource ARN>/*]`'], on: 'a SecureFunction/CodePolicy (AWS::IAM::ManagedPolicy)' }),
      expect.objectContaining({ checks: ['CloudFormation validation: `W3694`'], on: 'a SecureFunction/… (AWS::SNS::Subscription)' }),
    ]));
    const places = JSON.stringify([...exceptions.acknowledged, ...exceptions.skipped].map((r) => [r.checks, r.on]));
    expect(places).not.toMatch(/[0-9A-F]{8}|111111111111|eu-west-1|TestOwned/);
    expect(JSON.stringify(exceptions)).not.toMatch(/<[A-Za-z0-9]+[0-9A-F]{8}(\.[A-Za-z]+)?>/);
  });

  test('every scanner check the library skips is in the skipped table, so the tested configurations reach every skip', () => {
    const sources = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const skipped = new Set(sources(path.join(ROOT, 'src')).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/id: '((?:CKV_AWS_\d+)|(?:[EWI]\d{4}))'/g)].map((m) => m[1])));
    const table = renderExceptions(exceptions.skipped);
    expect(skipped.size).toBeGreaterThanOrEqual(9);
    expect([...skipped].filter((id) => !table.includes(`\`${id}\``))).toEqual([]);
  });

  test('a reason with a pipe or a line break stays in its cell', () => {
    expect(renderExceptions([{ checks: ['cdk-nag: `X`'], on: 'a|b', why: 'one\n  two' }]).split('\n')[2]).toBe('| cdk-nag: `X` | a\\|b | one two |');
  });
});

import { App, AspectPriority, Aspects, CfnWaitConditionHandle, IAspect, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { stackAspectOf } from '../../src/aspects/stack-aspects';

class Recorder implements IAspect {
  public readonly visited: string[] = [];
  public visit(node: Construct): void {
    this.visited.push(node.node.path);
  }
}

describe('stackAspectOf', () => {
  test('makes one aspect per stack and key, added to the stack as MUTATING the first time it is asked for', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const other = new Stack(app, 'Other');
    [stack, other].forEach((s) => new CfnWaitConditionHandle(s, 'Handle'));
    const made: Stack[] = [];
    const make = (s: Stack) => {
      made.push(s);
      return new Recorder();
    };
    const first = stackAspectOf(new Construct(stack, 'A'), 'Recorder', make);
    expect(stackAspectOf(new Construct(stack, 'B'), 'Recorder', make)).toBe(first);
    expect(stackAspectOf(stack, 'Another', make)).not.toBe(first);
    expect(stackAspectOf(other, 'Recorder', make)).not.toBe(first);
    expect(made).toEqual([stack, stack, other]);
    const applied = Aspects.of(stack).applied.filter((a) => a.aspect === first);
    expect(applied.map((a) => a.priority)).toEqual([AspectPriority.MUTATING]);
    app.synth();
    expect(first.visited).toEqual(expect.arrayContaining(['Test', 'Test/A', 'Test/B']));
  });
});

// Credentials bound to their function: a role whose identity policies carry
// a lambda:SourceFunctionArn condition (a "bound" role) grants its function's
// code only what the code asks from inside the function's execution
// environment. Each such intended call gets two look-alikes that must be
// denied: the same call with the credentials replayed elsewhere (no key), and
// from another function (another ARN). Calls Lambda makes with the role
// outside the environment (dead letters, pollers, destinations, decrypting the
// environment) carry no key and get none. Nor do the key uses a service makes
// on the caller's behalf (kms:ViaService): such a request exists only inside a
// call to that service, whose own look-alikes are asked (replayed credentials
// that cannot read the table never make DynamoDB decrypt with its key).
import { IamModel, SOURCE_FUNCTION_KEY } from './iam-model';
import { Path } from './path-list';

/** The negative paths of the bound roles' intended calls from inside their functions. */
export function bindingNegatives(intended: Path[], iam: IamModel): Path[] {
  const { partition, region, account } = iam.deployed.env;
  const other = `arn:${partition}:lambda:${region}:${account}:function:other`;
  const bound = new Map<string, boolean>();
  const isBound = (role: string) => {
    if (!bound.has(role)) bound.set(role, iam.isBound(role));
    return bound.get(role)!;
  };
  const paths: Path[] = [];
  for (const path of intended) {
    const { request } = path;
    if (request.outsideEnvironment || viaService(request.context) || !isBound(request.principal)) continue;
    const { [SOURCE_FUNCTION_KEY]: _given, ...context } = request.context ?? {};
    paths.push({
      ...path,
      why: `${path.why}, with the credentials replayed outside the function (no ${SOURCE_FUNCTION_KEY})`,
      request: { ...request, context, outsideEnvironment: true },
    });
    paths.push({
      ...path,
      why: `${path.why}, from another function (${SOURCE_FUNCTION_KEY} ${other})`,
      request: { ...request, context: { ...request.context, [SOURCE_FUNCTION_KEY]: other } },
    });
  }
  return paths;
}

/** Whether a request is one a service makes on the caller's behalf (a key use through it). */
const viaService = (context: Record<string, unknown> | undefined): boolean => Object.keys(context ?? {}).some((k) => k.toLowerCase() === 'kms:viaservice');

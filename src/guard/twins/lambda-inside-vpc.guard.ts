import { GuardContext } from '../guard-dsl';

/** The keys of an intrinsic function object (isIntrinsic), as a Guard regex. */
const INTRINSIC_KEY = '/^(Ref$|Fn::)/';

/** lambda-inside-vpc in Guard: VpcConfig with at least one subnet, unless decided at deployment. */
export const insideVpcGuard = ({ name, functions, message }: GuardContext): string => `
rule ${name} when %${functions} !empty {
    %${functions}.Properties {
        VpcConfig exists
        ${message}
        when VpcConfig exists {
            # VpcConfig, or its whole subnet list, from a parameter or an intrinsic
            # function (a key Ref or Fn::*) is not judged; otherwise at least one subnet.
            VpcConfig[ keys == ${INTRINSIC_KEY} ] !empty or
            VpcConfig.SubnetIds[ keys == ${INTRINSIC_KEY} ] !empty or
            VpcConfig.SubnetIds is_list or
            VpcConfig.SubnetIds is_string
            ${message}
            VpcConfig[ keys == ${INTRINSIC_KEY} ] !empty or
            VpcConfig.SubnetIds[ keys == ${INTRINSIC_KEY} ] !empty or
            VpcConfig.SubnetIds !empty
            ${message}
        }
    }
}`;

# Sourced by the scripts of scripts/languages: where their cache lives and how
# they read the versions and package names this project pins.
export CDK_SF_CACHE="${CDK_SF_CACHE:-$HOME/.cache/cdk-secure-function}"
# Node 20 works for jsii here; its end-of-life banner (pacmak, the kernel of every app) would bury the output.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
# Nothing here may reach AWS.
export AWS_EC2_METADATA_DISABLED=true CDK_DISABLE_CLI_TELEMETRY=true

# The installed version of an npm package of node_modules.
npm_version() { node -p "require('$1/package.json').version"; }

# A jsii package's PyPI distribution name, from its package.json.
python_dist_name() { node -p "require('$1/package.json').jsii.targets.python.distName"; }

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.HIPAASecurityChecks;
import io.github.cdklabs.cdknag.NIST80053R5Checks;
import io.github.cdklabs.cdknag.PCIDSS321Checks;
import io.github.cdklabs.cdknag.ServerlessChecks;
import io.github.securefunction.cdk.SecureFunctionChecks;
import software.amazon.awscdk.CloudFormationValidatePlugin;
import software.amazon.awscdk.IPolicyValidationPlugin;
import software.amazon.awscdk.Validations;

/**
 * The README's usage example in Java, judged like the TypeScript examples.
 *
 * Usage.java is jsii-rosetta's Java translation of the README's Usage snippet,
 * written by `npx projen languages:translate` (CI fails when it is stale). This
 * class registers the suites that run in the app's own process, in Java (the
 * five cdk-nag packs, the library's catalog pack, CloudFormation schema
 * validation), names them in language-app.json, and synthesizes.
 */
public final class Main {
    public static void main(final String[] args) throws IOException {
        software.amazon.awscdk.App app = Usage.build();
        List<IPolicyValidationPlugin> suites = List.of(
                new AwsSolutionsChecks(app),
                new HIPAASecurityChecks(app),
                new NIST80053R5Checks(app),
                new PCIDSS321Checks(app),
                new ServerlessChecks(app),
                new SecureFunctionChecks(app),
                new CloudFormationValidatePlugin());
        Validations.of(app).addPlugins(suites.toArray(new IPolicyValidationPlugin[0]));
        String names = suites.stream().map(s -> "\"" + s.getName() + "\"").collect(Collectors.joining(","));
        Files.writeString(Path.of(app.getOutdir(), "language-app.json"), "{\"language\":\"java\",\"suites\":[" + names + "]}");
        app.synth();
    }

    private Main() {
    }
}

/**
 * The yardstick of `npm run bench`: a tiny app of three stacks, each a VPC, a subnet and a table,
 * importing the provider's package root (every resource class of hashicorp/aws), as a quick start
 * would. Synthesizing every environment and layer of the platform must take at most a quarter of
 * its time. Production code never imports this file, and tsconfig.json leaves it out: type-checking
 * the package root's declarations would double the time of `tsc --noEmit`.
 */
import { dynamodbTable, provider, subnet, vpc } from "@cdktf/provider-aws";
import { App, TerraformStack } from "cdktf";

const app = new App({ outdir: process.argv[2] ?? "cdktf.out.baseline" });
for (const name of ["one", "two", "three"]) {
  const stack = new TerraformStack(app, name);
  new provider.AwsProvider(stack, "aws", { region: "eu-west-1" });
  const network = new vpc.Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16" });
  new subnet.Subnet(stack, "subnet", { vpcId: network.id, cidrBlock: "10.0.1.0/24" });
  new dynamodbTable.DynamodbTable(stack, "table", {
    name: `baseline-${name}`,
    billingMode: "PAY_PER_REQUEST",
    hashKey: "id",
    attribute: [{ name: "id", type: "S" }],
  });
}
app.synth();

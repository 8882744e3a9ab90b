import { CeCostAllocationTag } from "@cdktf/provider-aws/lib/ce-cost-allocation-tag";
import { Construct } from "constructs";

export interface CostAllocationTagsProps {
  /** Tag keys to activate, e.g. `["Project", "Environment", "CostCenter"]`. */
  readonly tagKeys: readonly string[];
}

/**
 * Activates user-defined tags as cost-allocation tags, so Cost Explorer and budgets can split the
 * bill by them. AWS only accepts a key once a resource carrying it has appeared in billing data
 * (up to 24 hours after the first tagged resource).
 */
export class CostAllocationTags extends Construct {
  constructor(scope: Construct, id: string, props: CostAllocationTagsProps) {
    super(scope, id);
    for (const tagKey of props.tagKeys) {
      new CeCostAllocationTag(this, tagKey.toLowerCase(), { tagKey, status: "Active" });
    }
  }
}

import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { Construct } from "constructs";
import { validateProps } from "../core/validation";

export interface BudgetGuardProps {
  /** Budget name, e.g. `acme-dev-monthly`. */
  readonly name: string;
  /** Monthly cost limit in USD. */
  readonly monthlyLimitUsd: number;
  /** Cost-allocation tag that selects what the budget counts, e.g. `{ key: "Environment", value: "dev" }`. */
  readonly tag: { readonly key: string; readonly value: string };
  /** Addresses the alerts go to (Budgets e-mails them directly; at most 10). */
  readonly emails: readonly string[];
  /**
   * Percent of the limit actually spent that sends the first alert.
   * @default 80
   */
  readonly actualThresholdPercent?: number;
  /**
   * Percent of the limit the month's forecast must reach to send the early warning.
   * @default 100
   */
  readonly forecastThresholdPercent?: number;
}

/**
 * A monthly AWS cost budget over one tag value with two alerts: spend reached 80% of the limit
 * (actual), and the month is forecast to end above it. The first two budgets of an account are free.
 */
export class BudgetGuard extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: BudgetGuardProps) {
    super(scope, id);
    validateProps(this, props, (check) => {
      check.positive("monthlyLimitUsd", props.monthlyLimitUsd, "USD");
      // A budget notification takes 1 to 10 subscribers.
      check.emails("emails", props.emails, 10);
    });
    const notify = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
      comparisonOperator: "GREATER_THAN",
      notificationType,
      threshold,
      thresholdType: "PERCENTAGE",
      subscriberEmailAddresses: [...props.emails],
    });
    this.budget = new BudgetsBudget(this, "budget", {
      name: props.name,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: props.monthlyLimitUsd.toFixed(2),
      limitUnit: "USD",
      // Cost Explorer's filter syntax for a user-defined cost-allocation tag: `user:<key>$<value>`.
      costFilter: [{ name: "TagKeyValue", values: [`user:${props.tag.key}$${props.tag.value}`] }],
      notification: [notify("ACTUAL", props.actualThresholdPercent ?? 80), notify("FORECASTED", props.forecastThresholdPercent ?? 100)],
    });
  }
}

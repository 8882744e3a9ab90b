import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { describe, expect, it } from "vitest";
import { BudgetGuard, type BudgetGuardProps } from "../../../modules/account/budget-guard";
import { problemsOf, resource, type StackJson, synthConstruct } from "../../support/synth";

const base: BudgetGuardProps = { name: "acme-dev-monthly", monthlyLimitUsd: 150, tag: { key: "Environment", value: "dev" }, emails: ["ops@example.com"] };
const synthBudget = (props: Partial<BudgetGuardProps> = {}): StackJson => synthConstruct((scope) => new BudgetGuard(scope, "budget", { ...base, ...props }));

describe("BudgetGuard", () => {
  const budget = resource(synthBudget(), BudgetsBudget);

  it("budgets the monthly cost of one tag value", () => {
    expect(budget).toEqual(
      expect.objectContaining({
        name: "acme-dev-monthly",
        budget_type: "COST",
        time_unit: "MONTHLY",
        limit_amount: "150.00",
        limit_unit: "USD",
        cost_filter: [{ name: "TagKeyValue", values: ["user:Environment$dev"] }],
      }),
    );
  });

  it("alerts the e-mails at 80% actual spend and at a 100% forecast", () => {
    expect(budget.notification).toEqual([
      { comparison_operator: "GREATER_THAN", notification_type: "ACTUAL", threshold: 80, threshold_type: "PERCENTAGE", subscriber_email_addresses: ["ops@example.com"] },
      { comparison_operator: "GREATER_THAN", notification_type: "FORECASTED", threshold: 100, threshold_type: "PERCENTAGE", subscriber_email_addresses: ["ops@example.com"] },
    ]);
  });

  it("takes other thresholds from props", () => {
    const notification = resource(synthBudget({ actualThresholdPercent: 50, forecastThresholdPercent: 90 }), BudgetsBudget).notification as Record<string, unknown>[];
    expect(notification.map((entry) => entry.threshold)).toEqual([50, 90]);
  });

  it.each([
    [{ monthlyLimitUsd: 0 }, "monthlyLimitUsd: 0 must be a positive number of USD"],
    [{ monthlyLimitUsd: -100 }, "monthlyLimitUsd: -100 must be a positive number of USD"],
    [{ emails: [] }, "emails: [] must list 1 to 10 e-mail addresses"],
  ])("fails on %o", (props, message) => {
    expect(problemsOf((scope) => new BudgetGuard(scope, "budget", { ...base, ...props }))).toEqual([message]);
  });

  it("fails with more addresses than a notification takes", () => {
    const emails = Array.from({ length: 11 }, (_, i) => `ops${i}@example.com`);
    expect(problemsOf((scope) => new BudgetGuard(scope, "budget", { ...base, emails }))).toEqual([
      `emails: ${JSON.stringify(emails)} must list 1 to 10 e-mail addresses`,
    ]);
  });
});

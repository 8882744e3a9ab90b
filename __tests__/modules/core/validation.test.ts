import { TerraformStack, Testing, Token } from "cdktf";
import { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { labelled, passOn, propProblems, validateProps } from "../../../modules/core/validation";
import { problemsOf, testApp } from "../../support/synth";

interface SizedProps {
  readonly minSize?: number;
  readonly size?: number;
  readonly maxSize?: number;
}

/** A construct with the three kinds of rule: a range, an order between props, a free-form check. */
class Sized extends Construct {
  constructor(scope: Construct, id: string, props: SizedProps) {
    super(scope, id);
    validateProps(this, props, (check) => {
      check.minDesiredMax(["minSize", props.minSize ?? 1], ["size", props.size ?? 1], ["maxSize", props.maxSize ?? 1], 1);
      check.check(props.size !== 13, "size", props.size, "is unlucky");
    });
  }
}

describe("validateProps", () => {
  it("reports nothing for valid props", () => {
    expect(problemsOf((scope) => new Sized(scope, "sized", { minSize: 1, size: 2, maxSize: 3 }))).toEqual([]);
  });

  it("names the prop, the value and the rule", () => {
    expect(problemsOf((scope) => new Sized(scope, "sized", { size: 13, maxSize: 20 }))).toEqual(["size: 13 is unlucky"]);
  });

  it("reports every problem of every construct together, each once", () => {
    const problems = problemsOf((scope) => {
      new Sized(scope, "a", { minSize: 0 });
      new Sized(scope, "b", { size: 3, maxSize: 2 });
    });
    expect(problems).toEqual(["minSize: 0 must be an integer >= 1", "size: 3 must not exceed maxSize (2)"]);
  });

  it("names a labelled prop by its label, also where another rule refers to it", () => {
    const props = labelled({ minSize: 3, size: 2 }, { minSize: "dev.pool.minimum", size: "dev.pool.desired" });
    expect(problemsOf((scope) => new Sized(scope, "sized", { ...props, maxSize: 5 }))).toEqual([
      "dev.pool.minimum: 3 must not exceed desired (2)",
    ]);
  });

  it("names an entry of a labelled object prop below the object's label, and counts it as labelled", () => {
    class Tagged extends Construct {
      constructor(scope: Construct, id: string, props: { readonly tags: Readonly<Record<string, string>> }) {
        super(scope, id);
        validateProps(this, props, (check) => {
          for (const key of Object.keys(props.tags)) check.check(key !== "Name", `tags.${key}`, props.tags[key], "is the construct's own");
        });
      }
    }
    const stack = new TerraformStack(testApp(), "stack");
    new Tagged(stack, "labelled", labelled({ tags: { Name: "a" } }, { tags: "dev.tags" }));
    new Tagged(stack, "plain", { tags: { Name: "b" } });
    expect(propProblems(stack, true)).toEqual(['dev.tags.Name: "a" is the construct\'s own']);
    expect(propProblems(stack)).toEqual(['dev.tags.Name: "a" is the construct\'s own', 'tags.Name: "b" is the construct\'s own']);
  });

  it("passes a parent's labels on to a child construct's props, or the parent's prop names", () => {
    class Parent extends Construct {
      constructor(scope: Construct, id: string, props: { readonly wanted: number }) {
        super(scope, id);
        new Sized(this, "child", { ...passOn<SizedProps>(props, { size: [props.wanted, "wanted"] }), maxSize: 20 });
      }
    }
    expect(problemsOf((scope) => new Parent(scope, "labelled", labelled({ wanted: 13 }, { wanted: "dev.pool.wanted" })))).toEqual([
      "dev.pool.wanted: 13 is unlucky",
    ]);
    expect(problemsOf((scope) => new Parent(scope, "plain", { wanted: 13 }))).toEqual(["wanted: 13 is unlucky"]);
  });

  it("never checks an unresolved token", () => {
    expect(problemsOf((scope) => new Sized(scope, "sized", { size: Token.asNumber("${var.size}"), maxSize: 5 }))).toEqual([]);
  });

  it("stops synthesis: the problems surface as the construct's validations", () => {
    const stack = new TerraformStack(testApp(), "stack");
    new Sized(stack, "sized", { size: 13, maxSize: 20 });
    expect(() => Testing.synth(stack, true)).toThrow("size: 13 is unlucky");
  });

  it("leaves out problems of unlabelled props when asked (echoes of settings refused elsewhere)", () => {
    const stack = new TerraformStack(testApp(), "stack");
    new Sized(stack, "labelled", { ...labelled({ size: 13 }, { size: "dev.pool.desired" }), maxSize: 20 });
    new Sized(stack, "plain", { size: 13, maxSize: 20 });
    expect(propProblems(stack, true)).toEqual(["dev.pool.desired: 13 is unlucky"]);
    expect(propProblems(stack)).toEqual(["dev.pool.desired: 13 is unlucky", "size: 13 is unlucky"]);
  });

  it("collects only prop problems, not the library's own validations", () => {
    const stack = new TerraformStack(testApp(), "stack");
    new Sized(stack, "sized", { size: 13, maxSize: 20 });
    stack.node.addValidation({ validate: () => ["not a prop problem"] });
    expect(propProblems(stack)).toEqual(["size: 13 is unlucky"]);
  });
});

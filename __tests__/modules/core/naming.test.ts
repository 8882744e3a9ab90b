import { describe, expect, it } from "vitest";
import { Naming } from "../../../modules/core/naming";

describe("Naming", () => {
  const naming = new Naming("acme", "dev");

  it("is <project>-<environment> without parts", () => {
    expect(naming.name()).toBe("acme-dev");
  });

  it("appends each part with a hyphen", () => {
    expect(naming.name("flow-logs")).toBe("acme-dev-flow-logs");
    expect(naming.name("api", "errors")).toBe("acme-dev-api-errors");
  });

  it("exposes project and environment", () => {
    expect([naming.project, naming.environment]).toEqual(["acme", "dev"]);
  });
});

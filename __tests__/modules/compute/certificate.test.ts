import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import type { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { Certificate, type CertificateProps } from "../../../modules/compute/certificate";
import { PublicHostedZone } from "../../../modules/core/public-hosted-zone";
import { entries, problemsOf, reference, referenceTo, resource, synthConstruct, type StackJson } from "../../support/synth";

const addCertificate = (scope: Construct, props: Partial<Omit<CertificateProps, "hostedZone">>): void => {
  const hostedZone = new PublicHostedZone(scope, "zone", { zoneName: "example.com" });
  new Certificate(scope, "certificate", { domainName: "app.example.com", hostedZone, ...props });
};
const synthCertificate = (props: Partial<Omit<CertificateProps, "hostedZone">> = {}): StackJson => synthConstruct((scope) => addCertificate(scope, props));
const problems = (props: Partial<Omit<CertificateProps, "hostedZone">>): string[] => problemsOf((scope) => addCertificate(scope, props));

describe("Certificate", () => {
  describe("defaults", () => {
    const json = synthCertificate();

    it("requests a DNS-validated RSA certificate for the name, replaced before the old one goes", () => {
      expect(resource(json, AcmCertificate)).toEqual(
        expect.objectContaining({
          domain_name: "app.example.com",
          validation_method: "DNS",
          key_algorithm: "RSA_2048",
          lifecycle: { create_before_destroy: true },
        }),
      );
    });

    it("writes one validation record per name into the hosted zone, overwriting ACM's shared record", () => {
      expect(resource(json, Route53Record)).toEqual(
        expect.objectContaining({
          for_each: `\${{ for key, val in tolist(${referenceTo(json, AcmCertificate, "domain_validation_options").slice(2, -1)}): val.domain_name => val }}`,
          zone_id: expect.stringMatching(/^\$\{data\.aws_route53_zone\.[^.]+\.zone_id\}$/),
          name: "${each.value.resource_record_name}",
          type: "${each.value.resource_record_type}",
          records: ["${each.value.resource_record_value}"],
          ttl: 300,
          allow_overwrite: true,
        }),
      );
    });

    it("waits up to 45 minutes for the certificate to be issued, on those records", () => {
      const [recordId] = entries(json, Route53Record)[0]!;
      expect(resource(json, AcmCertificateValidation)).toEqual(
        expect.objectContaining({
          certificate_arn: referenceTo(json, AcmCertificate, "arn"),
          validation_record_fqdns: `\${[for record in ${reference(Route53Record, recordId).slice(2, -4)} : record.fqdn]}`,
          timeouts: { create: "45m" },
        }),
      );
    });
  });

  it("waits validationTimeoutMinutes when given", () => {
    expect(resource(synthCertificate({ validationTimeoutMinutes: 10 }), AcmCertificateValidation).timeouts).toEqual({ create: "10m" });
  });

  describe("validation", () => {
    it.each(["app.example.org", "notexample.com"])("fails for the name %j, outside the hosted zone", (domainName) => {
      expect(problems({ domainName })).toEqual([
        `domainName: "${domainName}" is not in the hosted zone example.com; use the zone's name or a name ending in .example.com`,
      ]);
    });

    it("accepts the zone's own name and a name 64 characters long", () => {
      expect(problems({ domainName: "example.com" })).toEqual([]);
      expect(problems({ domainName: `${"a".repeat(52)}.example.com` })).toEqual([]);
    });

    it("fails for a name longer than ACM's 64-character common name", () => {
      const domainName = `${"a".repeat(53)}.example.com`;
      expect(problems({ domainName })).toEqual([`domainName: "${domainName}" is 65 characters; ACM certificates take at most 64 (the common name)`]);
    });

    it.each([2, 7.5])("fails for a validation timeout of %s minutes", (validationTimeoutMinutes) => {
      expect(problems({ validationTimeoutMinutes })).toEqual([`validationTimeoutMinutes: ${validationTimeoutMinutes} must be an integer >= 5`]);
    });
  });
});

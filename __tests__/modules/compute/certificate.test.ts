import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { describe, expect, it } from "vitest";
import { Certificate, type CertificateProps } from "../../../modules/compute/certificate";
import { PublicHostedZone } from "../../../modules/core/public-hosted-zone";
import { entries, reference, referenceTo, resource, synthConstruct, type StackJson } from "../../support/synth";

const synthCertificate = (props: Partial<Omit<CertificateProps, "hostedZone">> = {}): StackJson =>
  synthConstruct((scope) => {
    const hostedZone = new PublicHostedZone(scope, "zone", { zoneName: "example.com" });
    new Certificate(scope, "certificate", { domainName: "app.example.com", hostedZone, ...props });
  });

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
    it("fails for a name outside the hosted zone", () => {
      expect(() => synthCertificate({ domainName: "app.example.org" })).toThrow("domainName (app.example.org) is not in the hosted zone example.com");
    });

    it("fails for a name longer than ACM's 64-character common name", () => {
      const domainName = `${"a".repeat(53)}.example.com`;
      expect(() => synthCertificate({ domainName })).toThrow(`domainName (${domainName}) is 65 characters; ACM takes at most 64`);
    });

    it("fails for a validation timeout under 5 minutes", () => {
      expect(() => synthCertificate({ validationTimeoutMinutes: 2 })).toThrow("validationTimeoutMinutes (2) must be an integer of at least 5");
    });
  });
});

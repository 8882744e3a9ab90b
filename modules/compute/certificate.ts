import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";
import type { PublicHostedZone } from "../core/public-hosted-zone";
import { validateProps } from "../core/validation";

export interface CertificateProps {
  /** The name the certificate is for, e.g. `app.example.com` (its common name). */
  readonly domainName: string;
  /** The public hosted zone holding `domainName`; ACM's validation records go there. */
  readonly hostedZone: PublicHostedZone;
  /**
   * Minutes to wait for ACM to see the validation records and issue the certificate.
   * @default 45
   */
  readonly validationTimeoutMinutes?: number;
}

/** ACM allows at most 64 characters in the common name. */
const MAX_DOMAIN_NAME = 64;

/**
 * A public ACM certificate for one name, validated through DNS: ACM's validation record goes into
 * the hosted zone and Terraform waits until the certificate is issued, so whatever uses `arn`
 * (a listener, an API domain) is only created with a certificate that works. DNS validation also
 * renews the certificate by itself for as long as the record stays.
 */
export class Certificate extends Construct {
  readonly certificate: AcmCertificate;
  readonly validation: AcmCertificateValidation;
  /** The ARN, known only once the certificate is issued. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    const { domainName, hostedZone } = props;
    const timeout = props.validationTimeoutMinutes ?? 45;
    validateProps(this, props, (check) => {
      hostedZone.checkName(check, "domainName", domainName);
      check.check(
        domainName.length <= MAX_DOMAIN_NAME,
        "domainName",
        domainName,
        `is ${domainName.length} characters; ACM certificates take at most ${MAX_DOMAIN_NAME} (the common name)`,
      );
      check.integer("validationTimeoutMinutes", timeout, 5);
    });

    this.certificate = new AcmCertificate(this, "certificate", {
      domainName,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      // A replacement (new name) is issued before the old one, still in use, is deleted.
      lifecycle: { createBeforeDestroy: true },
    });
    // One record per name the certificate covers, keyed by that name (known at plan time).
    const options = TerraformIterator.fromComplexList(this.certificate.domainValidationOptions, "domain_name");
    const records = new Route53Record(this, "validation-record", {
      forEach: options,
      zoneId: hostedZone.zoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 300,
      // ACM gives every certificate for the same name the same record: a second one must not fail on it.
      allowOverwrite: true,
    });
    this.validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: Token.asList(`\${[for record in ${records.fqn} : record.fqdn]}`),
      timeouts: { create: `${timeout}m` },
    });
    this.arn = this.validation.certificateArn;
  }
}

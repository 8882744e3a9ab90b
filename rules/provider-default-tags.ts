import { asList, type Body, type PolicyRule } from "./rule";

export const providerDefaultTags: PolicyRule = {
  id: "provider-default-tags",
  description: "Every AWS provider tags what it creates through default_tags, so no resource goes untagged.",
  appliesTo: ["provider.aws"],
  check(provider) {
    const tags = asList(provider.body.default_tags).flatMap((block) => Object.keys(((block as Body).tags ?? {}) as Body));
    return tags.length > 0 ? [] : ["has no default tags; set default_tags"];
  },
};

/**
 * The admins' versioned documents (the policy and the tool catalog): every version stored
 * (`document_version`), the one in force (`document_active`) swapped whole, seeded from a YAML
 * file, edited in the console or through the admins' API ({@code /api/v1/policy},
 * {@code /api/v1/catalog}, served here). Policy and catalog each keep one
 * {@link dev.countersign.documents.ActiveDocument}; this module knows nothing of what the
 * documents say.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Documents", allowedDependencies = {"common", "identity"})
package dev.countersign.documents;

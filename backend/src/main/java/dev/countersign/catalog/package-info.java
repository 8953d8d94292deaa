/**
 * The tool catalog that admins own: for each tool, its category and data classification, a JSON
 * Schema its arguments must satisfy, and CEL expressions that derive the facts policy decides on
 * (amount, currency, environment, resource) from the arguments that will run. Agents describe
 * nothing about their own actions; what they declare is at most checked against these facts.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tool catalog", allowedDependencies = {"common", "documents"})
package dev.countersign.catalog;

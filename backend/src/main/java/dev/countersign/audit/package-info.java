/** The append-only, hash-chained record of everything that happened: who asked, who decided, what was redeemed, what was refused. */
@org.springframework.modulith.ApplicationModule(displayName = "Audit", allowedDependencies = {"common", "edge", "identity"})
package dev.countersign.audit;

/**
 * What every module shares: the API's error shape and a few value helpers.
 * Open on purpose: it holds no business rules, so every module may use all of it.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package dev.countersign.common;

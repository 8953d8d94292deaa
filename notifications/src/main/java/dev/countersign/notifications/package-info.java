/** Tells people what needs them: today a concise log line per event; Slack comes next. Listens to domain events only. */
@org.springframework.modulith.ApplicationModule(displayName = "Notifications")
package dev.countersign.notifications;

package dev.countersign.console;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.ColorScheme;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.theme.lumo.Lumo;

/**
 * Server push, so that inboxes update the moment a request arrives or is decided elsewhere; Lumo,
 * light or dark as the browser prefers; a viewport that phones render at their own width.
 */
@Push
@StyleSheet(Lumo.STYLESHEET)
@StyleSheet("console.css")
@ColorScheme(ColorScheme.Value.LIGHT_DARK)
public class ConsoleShell implements AppShellConfigurator {

    @Override
    public void configurePage(AppShellSettings settings) {
        settings.setPageTitle("Countersign");
        settings.setViewport("width=device-width, initial-scale=1");
    }
}

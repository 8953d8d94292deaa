package dev.countersign.console;

import com.vaadin.flow.component.html.Div;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The request's BPMN process drawn with bpmn-js (its navigated viewer, from npm: ui/src/main/vendor), the current step
 * marked and the steps done shaded. The model is the built-in guarded-action, the same on both engines.
 */
class ProcessDiagram extends Div {

    /** Both engines run this model; the Camunda 8 file carries the diagram's layout. */
    static final String MODEL = "/camunda8/guarded-action.bpmn";

    ProcessDiagram(ProcessStep step) {
        setId("process-diagram");
        addClassName("process-diagram");
        // A figure, not an img: bpmn-js's canvas takes the focus for panning, and an img may hold nothing interactive.
        getElement().setAttribute("role", "figure");
        getElement().setAttribute("aria-label", "The approval process; current step: " + step.text());
        getElement().setAttribute("data-current", step.current());
        getElement().executeJs("""
                const container = this;
                const load = (tag, attrs) => new Promise((resolve, reject) => {
                  if (document.querySelector(tag + '[data-vendor="' + attrs['data-vendor'] + '"]')) { resolve(); return; }
                  const element = document.createElement(tag);
                  Object.entries(attrs).forEach(([key, value]) => element.setAttribute(key, value));
                  element.onload = resolve; element.onerror = reject;
                  document.head.appendChild(element);
                });
                Promise.all([
                  load('link', {rel: 'stylesheet', href: 'vendor/bpmn-js/assets/diagram-js.css', 'data-vendor': 'diagram-js.css'}),
                  load('script', {src: 'vendor/bpmn-js/bpmn-navigated-viewer.production.min.js', 'data-vendor': 'bpmn-js'})
                ]).then(async () => {
                  const viewer = new window.BpmnJS({container});
                  await viewer.importXML($0);
                  const canvas = viewer.get('canvas');
                  $2.split(',').filter(id => id).forEach(id => canvas.addMarker(id, 'cs-done'));
                  canvas.addMarker($1, 'cs-current');
                  canvas.zoom('fit-viewport');
                  container.dataset.drawn = 'true';
                });""", model(), step.current(), String.join(",", step.done()));
    }

    private static String model() {
        try (InputStream in = ProcessDiagram.class.getResourceAsStream(MODEL)) {
            if (in == null) {
                throw new IllegalStateException(MODEL + " is not on the classpath (the bpmn module)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

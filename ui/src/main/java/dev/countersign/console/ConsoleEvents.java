package dev.countersign.console;


import dev.countersign.common.AfterCommit;
import org.springframework.context.event.EventListener;
import dev.countersign.actions.ActionDecided;
import dev.countersign.actions.ActionRequested;
import dev.countersign.actions.VoteCast;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Fans committed domain events out to open console views. Views register while attached and
 * refresh themselves from the database; the event only says that something changed.
 */
@Component
public class ConsoleEvents {

    private final Set<Consumer<String>> listeners = new CopyOnWriteArraySet<>();

    public Runnable subscribe(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Runs {@code onChange} in the component's UI for each committed change to a request, while the component is attached. */
    public void whileAttached(com.vaadin.flow.component.Component component, Consumer<String> onChange) {
        component.addAttachListener(attach -> {
            var ui = attach.getUI();
            Runnable unsubscribe = subscribe(requestId -> ui.access(() -> onChange.accept(requestId)));
            component.addDetachListener(detach -> {
                unsubscribe.run();
                detach.unregisterListener();
            });
        });
    }

    @EventListener
    void requested(ActionRequested event) {
        AfterCommit.react(() -> publish(event.requestId()));
    }

    @EventListener
    void decided(ActionDecided event) {
        AfterCommit.react(() -> publish(event.requestId()));
    }

    @EventListener
    void voted(VoteCast event) {
        AfterCommit.react(() -> publish(event.requestId()));
    }

    private void publish(String requestId) {
        listeners.forEach(listener -> listener.accept(requestId));
    }
}

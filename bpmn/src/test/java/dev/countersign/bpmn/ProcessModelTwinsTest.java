package dev.countersign.bpmn;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.FlowElement;
import io.camunda.zeebe.model.bpmn.instance.Message;
import io.camunda.zeebe.model.bpmn.instance.ServiceTask;
import io.camunda.zeebe.model.bpmn.instance.TimerEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.flowable.bpmn.converter.BpmnXMLConverter;
import org.flowable.bpmn.model.BoundaryEvent;
import org.flowable.bpmn.model.BpmnModel;
import org.flowable.bpmn.model.ExternalWorkerServiceTask;
import org.flowable.validation.ProcessValidatorFactory;
import org.flowable.validation.ValidationError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each process exists twice: for a Camunda 8 cluster and for embedded Flowable. The job
 * handlers, the decision message and the variables are shared, so the two files must
 * describe the same process; this test is what keeps them from drifting apart.
 */
class ProcessModelTwinsTest {

    @ParameterizedTest
    @ValueSource(strings = "guarded-action")
    void camundaDialectIsValidForZeebe(String process) {
        BpmnModelInstance model = camunda(process);
        Bpmn.validateModel(model);
        assertThat((Object) model.getModelElementById(process)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = "guarded-action")
    void flowableDialectIsValidForFlowable(String process) {
        BpmnModel model = flowable(process);
        var errors = new ProcessValidatorFactory()
                .createDefaultProcessValidator().validate(model);
        assertThat(errors).extracting(ValidationError::toString).isEmpty();
        assertThat(model.getProcessById(process)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = "guarded-action")
    void bothDialectsHaveTheSameElementsJobsMessagesAndTimers(String process) {
        BpmnModelInstance zeebe = camunda(process);
        BpmnModel flowable = flowable(process);

        assertThat(flowableElementIds(flowable)).isEqualTo(zeebeElementIds(zeebe));
        assertThat(flowableJobTopics(flowable)).isEqualTo(zeebeJobTypes(zeebe))
                .containsEntry("notify", "countersign.notify")
                .containsEntry("expire", "countersign.expire")
                .containsEntry("remind", "countersign.remind");
        assertThat(flowableMessages(flowable)).isEqualTo(zeebeMessages(zeebe))
                .containsExactly("countersign.decided");
        assertThat(flowableTimers(flowable)).isEqualTo(zeebeTimers(zeebe))
                .containsEntry("timedOut", "expiresAt")
                .containsEntry("reminderDue", "remindAt");
    }

    /** A model without a diagram opens blank in Camunda Modeler; every element must be drawn. */
    @ParameterizedTest
    @ValueSource(strings = "guarded-action")
    void everyElementIsDrawnSoModelersCanEditIt(String process) {
        BpmnModelInstance zeebe = camunda(process);
        Set<String> drawn = new TreeSet<>();
        zeebe.getModelElementsByType(io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnShape.class)
                .forEach(shape -> drawn.add(shape.getBpmnElement().getId()));
        zeebe.getModelElementsByType(io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnEdge.class)
                .forEach(edge -> drawn.add(edge.getBpmnElement().getId()));
        assertThat(drawn).containsAll(zeebeElementIds(zeebe));

        BpmnModel flowable = flowable(process);
        Set<String> flowableDrawn = new TreeSet<>(flowable.getLocationMap().keySet());
        flowableDrawn.addAll(flowable.getFlowLocationMap().keySet());
        assertThat(flowableDrawn).containsAll(flowableElementIds(flowable));
    }

    private static BpmnModelInstance camunda(String process) {
        return Bpmn.readModelFromStream(resource("camunda8/" + process + ".bpmn"));
    }

    private static BpmnModel flowable(String process) {
        String path = "flowable/" + process + ".bpmn20.xml";
        return new BpmnXMLConverter().convertToBpmnModel(() -> resource(path), true, true);
    }

    private static InputStream resource(String path) {
        InputStream in = ProcessModelTwinsTest.class.getClassLoader().getResourceAsStream(path);
        assertThat(in).as("model %s on the classpath", path).isNotNull();
        return in;
    }

    private static Set<String> zeebeElementIds(BpmnModelInstance model) {
        return model.getModelElementsByType(FlowElement.class).stream()
                .map(FlowElement::getId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> flowableElementIds(BpmnModel model) {
        return model.getMainProcess().findFlowElementsOfType(org.flowable.bpmn.model.FlowElement.class, true).stream()
                .map(org.flowable.bpmn.model.FlowElement::getId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, String> zeebeJobTypes(BpmnModelInstance model) {
        return model.getModelElementsByType(ServiceTask.class).stream()
                .collect(Collectors.toMap(ServiceTask::getId,
                        task -> task.getSingleExtensionElement(ZeebeTaskDefinition.class).getType(),
                        (a, b) -> a, TreeMap::new));
    }

    private static Map<String, String> flowableJobTopics(BpmnModel model) {
        return model.getMainProcess().findFlowElementsOfType(ExternalWorkerServiceTask.class, true).stream()
                .collect(Collectors.toMap(ExternalWorkerServiceTask::getId, ExternalWorkerServiceTask::getTopic,
                        (a, b) -> a, TreeMap::new));
    }

    private static Set<String> zeebeMessages(BpmnModelInstance model) {
        return model.getModelElementsByType(Message.class).stream()
                .map(Message::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> flowableMessages(BpmnModel model) {
        return model.getMessages().stream()
                .map(org.flowable.bpmn.model.Message::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Boundary timer id to the variable its date reads ({@code =x} in FEEL, {@code ${x}} in JUEL). */
    private static Map<String, String> zeebeTimers(BpmnModelInstance model) {
        return model.getModelElementsByType(io.camunda.zeebe.model.bpmn.instance.BoundaryEvent.class).stream()
                .collect(Collectors.toMap(io.camunda.zeebe.model.bpmn.instance.BoundaryEvent::getId,
                        event -> event.getEventDefinitions().stream()
                                .filter(TimerEventDefinition.class::isInstance)
                                .map(TimerEventDefinition.class::cast)
                                .map(timer -> timer.getTimeDate().getTextContent().trim().replaceFirst("^=", ""))
                                .findFirst().orElseThrow(),
                        (a, b) -> a, TreeMap::new));
    }

    private static Map<String, String> flowableTimers(BpmnModel model) {
        return model.getMainProcess().findFlowElementsOfType(BoundaryEvent.class, true).stream()
                .collect(Collectors.toMap(BoundaryEvent::getId,
                        event -> event.getEventDefinitions().stream()
                                .filter(org.flowable.bpmn.model.TimerEventDefinition.class::isInstance)
                                .map(org.flowable.bpmn.model.TimerEventDefinition.class::cast)
                                .map(timer -> timer.getTimeDate().trim().replaceAll("^\\$\\{(.*)}$", "$1"))
                                .findFirst().orElseThrow(),
                        (a, b) -> a, TreeMap::new));
    }
}

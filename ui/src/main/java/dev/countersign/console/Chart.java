package dev.countersign.console;

import com.vaadin.flow.component.html.Div;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Apache ECharts chart (from npm: ui/src/main/vendor), drawn from an option object built in Java. Charts are
 * pictures: each has a name for screen readers, and its numbers are also in a table beside it.
 */
class Chart extends Div {

    Chart(String id, String name, ObjectNode option) {
        setId(id);
        addClassName("chart");
        getElement().setAttribute("role", "img");
        getElement().setAttribute("aria-label", name);
        getElement().executeJs("""
                const container = this;
                const draw = () => {
                  const chart = window.echarts.init(container, null, {renderer: 'canvas'});
                  chart.setOption(JSON.parse($0));
                  new ResizeObserver(() => chart.resize()).observe(container);
                  container.dataset.drawn = 'true';
                };
                if (window.echarts) { draw(); return; }
                let script = document.querySelector('script[data-vendor="echarts"]');
                if (!script) {
                  script = document.createElement('script');
                  script.src = 'vendor/echarts/echarts.min.js';
                  script.dataset.vendor = 'echarts';
                  document.head.appendChild(script);
                }
                script.addEventListener('load', draw);""", option.toString());
    }
}

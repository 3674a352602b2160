// The benchmarks' workload: start → user task `first` → user task `second` → end.
export const PROCESS_ID = 'bench_two_tasks';

export const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs_bench" targetNamespace="http://gridflow.bench">
  <bpmn:process id="${PROCESS_ID}" name="Two user tasks" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first"/>
    <bpmn:userTask id="first" name="First"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="second"/>
    <bpmn:userTask id="second" name="Second"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="second" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>`;

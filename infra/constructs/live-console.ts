// The live console on AWS: an API Gateway WebSocket API (stage `live`, access-logged and
// throttled) whose $connect, $disconnect and $default routes go to one small function that
// takes a console's one-time token and keeps its connection; the functions that publish (the
// tickets stream's publisher, the staff API for presences) post to connections through the
// Management API, and may do nothing else with it.
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { logAccess } from './access-logs';
import { SlaFunction } from './sla-function';

export interface LiveConsoleProps {
  environment: Record<string, string>;
}

export class LiveConsole extends Construct {
  readonly api: apigw.WebSocketApi;
  readonly stage: apigw.WebSocketStage;
  readonly connections: SlaFunction;

  constructor(scope: Construct, id: string, props: LiveConsoleProps) {
    super(scope, id);
    this.connections = new SlaFunction(this, 'Connections', {
      entry: 'live/handler.ts',
      description: 'sla-desk: the live console’s WebSocket connections (one-time token at $connect)',
      environment: props.environment,
      timeout: Duration.seconds(10),
    });
    const integration = (name: string) => new WebSocketLambdaIntegration(name, this.connections.fn);
    this.api = new apigw.WebSocketApi(this, 'Api', {
      description: 'sla-desk live console: ticket changes and presences pushed to staff consoles',
      connectRouteOptions: { integration: integration('OnConnect') },
      disconnectRouteOptions: { integration: integration('OnDisconnect') },
      defaultRouteOptions: { integration: integration('OnMessage') },
    });
    this.stage = new apigw.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: 'live',
      autoDeploy: true,
      throttle: { burstLimit: 100, rateLimit: 50 },
    });
    logAccess(this, this.stage.node.defaultChild as apigw.CfnStage, {
      connectionId: '$context.connectionId',
    });
  }

  /** What a function that opens or publishes to live connections needs to know. */
  environment(): Record<string, string> {
    return { LIVE_URL: this.stage.url, LIVE_ENDPOINT: this.stage.callbackUrl };
  }

  /** Lets a function post events to the connections. */
  grantPublish(fn: SlaFunction): void {
    this.stage.grantManagementApiAccess(fn.fn);
    for (const [k, v] of Object.entries(this.environment())) fn.fn.addEnvironment(k, v);
  }
}

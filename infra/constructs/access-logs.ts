// API Gateway access logs (HTTP and WebSocket stages alike): a log group kept three months, one
// JSON line per request with who, what route, what status and what the integration said.
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export function logAccess(
  scope: Construct,
  stage: apigw.CfnStage,
  fields: Record<string, string>,
): logs.LogGroup {
  const group = new logs.LogGroup(scope, 'AccessLogs', {
    retention: logs.RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  stage.accessLogSettings = {
    destinationArn: group.logGroupArn,
    format: JSON.stringify({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      requestTime: '$context.requestTime',
      routeKey: '$context.routeKey',
      status: '$context.status',
      integrationError: '$context.integrationErrorMessage',
      ...fields,
    }),
  };
  return group;
}

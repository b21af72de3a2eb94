namespace Portable.Aws.Events;

/// <summary><c>requestContext.elb</c>: present only on ALB target events.</summary>
internal sealed record HttpEventElb
{
    public string? TargetGroupArn { get; init; }
}

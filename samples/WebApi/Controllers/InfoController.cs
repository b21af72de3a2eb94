using Microsoft.AspNetCore.Mvc;

namespace WebApi.Controllers;

/// <summary>An MVC controller, as an existing app has them (JIT build only: MVC is not supported under Native AOT).</summary>
[ApiController]
[Route("api/[controller]")]
public sealed class InfoController : ControllerBase
{
    /// <summary>What the app is.</summary>
    [HttpGet]
    public ActionResult<Order> Get() => new Order(1, "info", 1);
}

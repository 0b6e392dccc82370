"""12345 work orders (工单) at the hall: desk_app.services.workorders.orders."""

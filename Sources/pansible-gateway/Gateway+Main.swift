import Gateway

/// The whole of `pansible-gateway`: the process lives in the Gateway library, which its tests import too.
@main
extension GatewayCommand {}
